// The server's outbound calls under its default policy (public addresses only): webhooks, the webhook
// action and a plugin action refuse loopback, link-local (cloud metadata), private addresses and other
// schemes, also when a host name resolves to one, with a clear error in the delivery log or incident;
// a receiver on loopback is never connected to. Saving a webhook with such a URL is a 422 naming url.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYSTEM_ACTOR, type Webhook, type WebhookDelivery } from '@crm/engine';
import uscc from '@crm/plugin-uscc';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem } from '../../support/api.ts';
import { bpmn, flows, userTask, xmlEscape } from '../../support/bpmn.ts';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { rawRows } from '../../support/sql.ts';

const clock = testClock(Date.parse('2026-07-01T08:00:00Z'));
const ALICE = '00000000-0000-7000-8000-00000000a11c';

const noteModule = {
  id: 'mod_og_note',
  name: 'og_note',
  label: { en: 'Note', 'zh-CN': '备注' },
  fields: [{ id: 'og_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true }],
};

/** A receiver on loopback that counts every connection made to it (none may be). */
let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer((_request, response) => response.writeHead(200).end('{"errcode":0}'));
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  connections = 0;
});

const callTask = `
  <bpmn:serviceTask id="call">
    <bpmn:extensionElements>
      <zeebe:taskDefinition type="webhook" retries="1"/>
      <zeebe:ioMapping><zeebe:input source="=target" target="url"/></zeebe:ioMapping>
    </bpmn:extensionElements>
  </bpmn:serviceTask>`;

forEachDatabase(
  'outbound calls under the default policy',
  (handle) => {
    let admin: ApiClient;

    beforeAll(async () => {
      admin = apiClient(handle());
      await handle().workspace.definitions.saveDraft(noteModule);
      await handle().workspace.definitions.publish();
    });

    it('refuses to save a webhook to a loopback, link-local or private address or another scheme (422 on url)', async () => {
      const blocked = [
        [`http://127.0.0.1:${port}/hooks`, 'loopback'],
        [`http://localhost:${port}/hooks`, 'loopback'],
        ['http://[::1]/hooks', 'loopback'],
        ['http://[::ffff:127.0.0.1]/hooks', 'loopback'],
        ['http://169.254.169.254/latest/meta-data/', 'link-local'],
        ['http://10.1.2.3/hooks', 'private'],
        ['http://192.168.1.20:8080/hooks', 'private'],
        ['http://0.0.0.0/hooks', 'reserved'],
      ];
      for (const [url, kind] of blocked) {
        const response = await admin.post('/api/admin/webhooks', {
          url,
          modules: ['og_note'],
          events: ['created'],
        });
        const problem = expectProblem(response, 422, ['/url']) as {
          errors: { code: string; messages: Record<string, string> }[];
        };
        expect(problem.errors[0]?.code).toBe('url-blocked');
        expect(problem.errors[0]?.messages.en).toContain(`is a ${kind} address`);
        expect(problem.errors[0]?.messages['zh-CN']).toContain('禁止向其发起外部调用');
      }
      expectProblem(
        await admin.post('/api/admin/webhooks', {
          url: 'ftp://files.example.com/x',
          modules: ['og_note'],
          events: ['created'],
        }),
        422,
        ['/url'],
      );
      // a public URL is saved; changing it to a blocked one is refused and changes nothing
      const saved = await admin.post<Webhook>('/api/admin/webhooks', {
        url: 'https://hooks.example.com/crm',
        modules: ['og_note'],
        events: ['created'],
      });
      expect(saved.status).toBe(201);
      expectProblem(
        await admin.patch(`/api/admin/webhooks/${saved.body.id}`, { url: 'http://169.254.169.254/' }),
        422,
        ['/url'],
      );
      expect((await admin.get<Webhook>(`/api/admin/webhooks/${saved.body.id}`)).body.url).toBe(
        'https://hooks.example.com/crm',
      );
      await admin.delete(`/api/admin/webhooks/${saved.body.id}`);
    });

    it('logs a delivery to a blocked address as refused and never sent', async () => {
      const { workspace, engine } = handle();
      const created = await admin.post<Webhook>('/api/admin/webhooks', {
        url: 'https://hooks.example.com/notes',
        modules: ['og_note'],
        events: ['created'],
      });
      // a URL saved before this check existed (or before the policy was tightened) points at loopback
      await rawRows(
        engine,
        `UPDATE ${workspace.schema}._webhooks SET url = 'http://localhost:${port}/hooks' WHERE id = '${created.body.id}'`,
      );
      await admin.post('/api/modules/og_note/records', { title: 'Quarterly review' });
      expect(await workspace.webhooks.runDueWork()).toEqual({ handled: 0, failed: 1 });
      const [delivery] = (
        await admin.get<{ data: WebhookDelivery[] }>(`/api/admin/webhooks/${created.body.id}/deliveries`)
      ).body.data;
      expect(delivery?.attempts).toHaveLength(1);
      expect(delivery?.attempts[0]).toMatchObject({ status: null, response: null });
      expect(delivery?.lastError).toBe(
        "refused, never sent: 'localhost' (127.0.0.1) is a loopback address: outbound calls to it are refused " +
          '(an administrator allows it with CRM_WEBHOOK_ALLOW_HOSTS or CRM_WEBHOOK_ALLOW_PRIVATE=true)',
      );
      expect(connections).toBe(0);
      await admin.delete(`/api/admin/webhooks/${created.body.id}`);
    });

    it('fails the webhook action on a blocked address, also reached through a host name, without connecting', async () => {
      const wf = handle().workspace.workflows;
      await wf.deploy(
        bpmn(
          'og_call',
          `<bpmn:startEvent id="s"/>${callTask}${userTask('check', ALICE)}${flows(['a', 's', 'call'], ['b', 'call', 'check'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const cases = [
        [`http://localhost:${port}/x`, "'localhost' (127.0.0.1) is a loopback address"],
        [`http://127.0.0.1:${port}/x`, '127.0.0.1 is a loopback address'],
        ['http://169.254.169.254/latest/meta-data/iam/', '169.254.169.254 is a link-local address'],
        ['http://172.20.0.4/x', '172.20.0.4 is a private address'],
      ];
      for (const [target, reason] of cases) {
        const instance = await wf.start('og_call', { variables: { target } }, SYSTEM_ACTOR);
        await wf.runDueWork();
        const [incident] = await wf.queries.incidents({ instanceId: instance.id });
        expect(incident?.message).toContain('refused');
        expect(incident?.message).toContain(reason);
      }
      expect(connections).toBe(0);
    });

    it('refuses at deploy a webhook task whose fixed URL is blocked, naming the task and url', async () => {
      const fixed = callTask.replace(
        'source="=target"',
        `source="${xmlEscape(`="http://127.0.0.1:${port}/x"`)}"`,
      );
      const lint = await handle().workspace.workflows.lint(
        bpmn('og_fixed', `<bpmn:startEvent id="s"/>${fixed}${flows(['a', 's', 'call'])}`),
      );
      expect(lint.problems).toEqual([
        expect.objectContaining({
          elementId: 'call',
          code: 'invalid-setting',
          message: expect.stringMatching(/^call: url: 127\.0\.0\.1 is a loopback address/),
        }),
      ]);
    });

    it("refuses the example plugin's chat action to a robot on loopback", async () => {
      const wf = handle().workspace.workflows;
      const robot = `http://127.0.0.1:${port}/robot/send?access_token=t1`;
      await wf.deploy(
        bpmn(
          'og_chat',
          `<bpmn:startEvent id="s"/>
           <bpmn:serviceTask id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="chat-notify" retries="1"/>
             <zeebe:taskHeaders><zeebe:header key="webhook" value="${xmlEscape(robot)}"/></zeebe:taskHeaders>
             <zeebe:ioMapping><zeebe:input source="=&quot;hello&quot;" target="text"/></zeebe:ioMapping>
           </bpmn:extensionElements></bpmn:serviceTask>
           <bpmn:endEvent id="e"/>${flows(['a', 's', 'notify'], ['b', 'notify', 'e'])}`,
        ),
        SYSTEM_ACTOR,
      );
      const instance = await wf.start('og_chat', {}, SYSTEM_ACTOR);
      await wf.runDueWork();
      const [incident] = await wf.queries.incidents({ instanceId: instance.id });
      expect(incident?.message).toContain('127.0.0.1 is a loopback address');
      expect(connections).toBe(0);
    });
  },
  { clock: clock.now, workflow: { clock: clock.now }, plugins: [uscc] },
);
