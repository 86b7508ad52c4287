// The webhook action against a real HTTP server on loopback: JSON body, headers, HMAC signature, the
// same Idempotency-Key on every attempt, retries with backoff on the engine clock, the response kept;
// a webhook that keeps failing becomes an incident with its attempts, and a retry after a fix works.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Actor, SYSTEM_ACTOR, webhookSignature } from '@crm/engine';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bpmn, flows, userTask, xmlEscape } from '../../support/bpmn.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

const ALICE = '00000000-0000-7000-8000-00000000a11c';
const alice: Actor = { userId: ALICE, via: 'session' };
const SECOND = 1000;
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers per path: `fail` times 503, then 200 with a JSON body. */
const plan = new Map<string, { fail: number }>();
const received: Received[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const path = request.url ?? '';
      received.push({ path, headers: request.headers, body });
      const entry = plan.get(path) ?? { fail: 0 };
      if (entry.fail > 0) {
        entry.fail--;
        response.writeHead(503, { 'content-type': 'text/plain' }).end('busy, try later');
        return;
      }
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ticket: 'T-42' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** `url` is the URL the task calls, or with `=` the FEEL giving it. */
const webhookTask = (url: string, retries: number, extra = '') => `
  <bpmn:serviceTask id="call" name="Tell the ERP">
    <bpmn:extensionElements>
      <zeebe:taskDefinition type="webhook" retries="${retries}"/>
      <zeebe:ioMapping>
        <zeebe:input source="${xmlEscape(url.startsWith('=') ? url : `="${url}"`)}" target="url"/>
        <zeebe:input source="${xmlEscape('={ order: orderNo, amount: amount }')}" target="body"/>
        <zeebe:input source="${xmlEscape('={ "X-Source": "crm" }')}" target="headers"/>
      </zeebe:ioMapping>
      <zeebe:taskHeaders>${extra}</zeebe:taskHeaders>
    </bpmn:extensionElements>
  </bpmn:serviceTask>`;

const flow = (processId: string, path: string, retries: number, extra = '') =>
  bpmn(
    processId,
    `<bpmn:startEvent id="s"/>${webhookTask(`${base}${path}`, retries, extra)}${userTask('check', ALICE)}
     ${flows(['a', 's', 'call'], ['b', 'call', 'check'])}`,
  );

forEachDatabase(
  'workflow webhook action',
  (handle) => {
    it('fails twice, then succeeds: one idempotency key, backoff on the clock, signed, response kept', async () => {
      const wf = handle().workspace.workflows;
      const path = `/orders-${handle().kind}`;
      plan.set(path, { fail: 2 });
      await wf.deploy(
        flow(
          'erp_sync',
          path,
          5,
          '<zeebe:header key="secret" value="s3cret"/><zeebe:header key="resultVariable" value="erp"/>',
        ),
        SYSTEM_ACTOR,
      );
      const instance = await wf.start('erp_sync', { variables: { orderNo: 'SO-1', amount: 1200 } }, alice);
      await wf.runDueWork(); // attempt 1: 503
      await wf.runDueWork(); // backing off: nothing due
      clock.advance(10 * SECOND);
      await wf.runDueWork(); // attempt 2: 503
      clock.advance(10 * SECOND);
      await wf.runDueWork(); // still backing off (20 s after the second failure)
      expect(received.filter((r) => r.path === path)).toHaveLength(2);
      clock.advance(10 * SECOND);
      await wf.runDueWork(); // attempt 3: 201
      const calls = received.filter((r) => r.path === path);
      expect(calls).toHaveLength(3);
      const keys = new Set(calls.map((call) => call.headers['idempotency-key']));
      expect(keys.size).toBe(1);
      expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
      for (const call of calls) {
        expect(JSON.parse(call.body)).toEqual({ order: 'SO-1', amount: 1200 });
        expect(call.headers['content-type']).toBe('application/json');
        expect(call.headers['x-source']).toBe('crm');
        const signature = String(call.headers['x-crm-signature']);
        const timestamp = Number(/^t=(\d+),/.exec(signature)?.[1]);
        expect(signature).toBe(webhookSignature('s3cret', timestamp, call.body));
        expect(signature).not.toBe(webhookSignature('other', timestamp, call.body));
      }
      const detail = await wf.queries.instance(instance.id);
      expect(detail.currentElements).toEqual(['check']);
      expect(detail.variables.erp).toEqual({
        status: 201,
        body: { ticket: 'T-42' },
        attempt: 3,
        idempotencyKey: [...keys][0],
      });
      const failures = (await wf.queries.history(instance.id)).filter((e) => e.event === 'job-failed');
      expect(failures.map((e) => e.data?.attempt)).toEqual([1, 2]);
      expect(String(failures[0]?.data?.error)).toContain('answered 503: busy, try later');
    });

    it('keeps failing: an incident with the error and attempts; a retry after the fix completes', async () => {
      const wf = handle().workspace.workflows;
      const path = `/down-${handle().kind}`;
      plan.set(path, { fail: 100 });
      await wf.deploy(flow('erp_down', path, 2), SYSTEM_ACTOR);
      const instance = await wf.start('erp_down', { variables: { orderNo: 'SO-2', amount: 5 } }, alice);
      await wf.runDueWork();
      clock.advance(10 * SECOND);
      await wf.runDueWork();
      const [incident] = await wf.queries.incidents({ instanceId: instance.id });
      expect(incident).toMatchObject({ kind: 'job-failed', element_id: 'call', attempts: 2 });
      expect(incident?.message).toContain('answered 503');
      clock.advance(3600 * SECOND);
      await wf.runDueWork(); // parked: no further attempt
      expect(received.filter((r) => r.path === path)).toHaveLength(2);
      plan.set(path, { fail: 0 });
      await wf.retryIncident(incident?.id as string, SYSTEM_ACTOR);
      await wf.runDueWork();
      const calls = received.filter((r) => r.path === path);
      expect(calls).toHaveLength(3);
      expect(new Set(calls.map((c) => c.headers['idempotency-key'])).size).toBe(1);
      expect((await wf.queries.instance(instance.id)).currentElements).toEqual(['check']);
      expect(await wf.queries.incidents({ instanceId: instance.id })).toEqual([]);
    });

    it('refuses at deploy a URL or method known then to be wrong, naming the task and the setting', async () => {
      const wf = handle().workspace.workflows;
      const diagram = (url: string, extra = '') =>
        bpmn(
          'bad_url',
          `<bpmn:startEvent id="s"/>${webhookTask(url, 1, extra)}${userTask('check', ALICE)}
           ${flows(['a', 's', 'call'], ['b', 'call', 'check'])}`,
        );
      const lint = await wf.lint(diagram('file:///etc/passwd', '<zeebe:header key="method" value="FETCH"/>'));
      expect(lint.problems).toEqual([
        expect.objectContaining({
          elementId: 'call',
          pointer: '/elements/call',
          code: 'invalid-setting',
          messages: {
            en: 'call: url: the URL must be http or https, not file',
            'zh-CN': 'call：url：URL 必须是 http 或 https，不能是 file',
          },
        }),
        expect.objectContaining({
          elementId: 'call',
          code: 'invalid-setting',
          message: "call: method: 'FETCH' is not one of POST, PUT, PATCH, DELETE",
        }),
      ]);
      await expect(wf.deploy(diagram('file:///etc/passwd'), SYSTEM_ACTOR)).rejects.toMatchObject({
        kind: 'invalid-definition',
        problems: [expect.objectContaining({ elementId: 'call', message: expect.stringContaining('url:') })],
      });
      expect(await wf.definitions()).not.toContainEqual(expect.objectContaining({ processId: 'bad_url' }));
    });

    it('fails an attempt whose URL, known only at run time, is not http(s), naming the problem', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'dynamic_url',
          `<bpmn:startEvent id="s"/>${webhookTask('=target', 1)}
           ${userTask('check', ALICE)}${flows(['a', 's', 'call'], ['b', 'call', 'check'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await wf.start(
        'dynamic_url',
        { variables: { orderNo: 'x', amount: 1, target: 'file:///etc/passwd' } },
        alice,
      );
      await wf.runDueWork();
      const [incident] = await wf.queries.incidents({ instanceId: instance.id });
      expect(incident?.message).toContain('url: the URL must be http or https, not file');
    });
  },
  // the receivers listen on loopback, which the server refuses to call unless allowed
  { workflow: { clock: clock.now }, outbound: { allowPrivate: true } },
);
