// A server killed (SIGKILL) in the middle of flows with webhooks and timers, then started again: every
// instance continues, no task is lost or duplicated, no timer fires twice (a per-second cron schedule
// included), and each webhook is called at least once, every call of it with the same idempotency key.
// The kill lands while a webhook call is in flight: the test's HTTP server holds that request open.
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Engine, openPostgres } from '@crm/engine';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';

const TOTAL = 40;
const WORKER = fileURLToPath(new URL('./crash-worker.ts', import.meta.url));

describe('workflow crash recovery [postgres]', () => {
  let database: TestDatabase;
  let sql: postgres.Sql;
  let server: Server;
  let webhookUrl = '';
  const children: ChildProcess[] = [];
  /** Webhook calls as the server received them. */
  const calls: { key: string; order: string }[] = [];
  /**
   * The call after a third of the instances' calls is never answered: the worker is killed while it waits
   * on it (the webhook's own timeout is 10 s). The server picks it as calls come, so a fast worker cannot
   * finish every call before the test is ready to kill it.
   */
  let held: string | null = null;
  /** Tells the waits that the webhook server got a call. */
  const received = new EventEmitter();

  beforeAll(async () => {
    database = await createTestDatabase('wf_crash');
    const engine = await Engine.open({ db: await openPostgres(database.url) });
    await engine.workspace('default');
    await engine.close();
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const key = String(request.headers['idempotency-key']);
        calls.push({ key, order: JSON.parse(body).order });
        received.emit('call');
        if (held === null && calls.length > TOTAL / 3) {
          held = key;
          received.emit('call');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charge`;
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await sql?.end();
    await database?.drop();
  });

  const startWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: {
        ...process.env,
        CRASH_DATABASE_URL: database.url,
        CRASH_TOTAL: String(TOTAL),
        CRASH_WEBHOOK_URL: webhookUrl,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // read on always (the waits come and go), so the worker never blocks on a full pipe
    child.stdout?.resume();
    children.push(child);
    return child;
  };

  const kill = async (child: ChildProcess) => {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  };

  /**
   * Waits until `check` holds, looking again each time the worker reports a pass of its loop or the
   * webhook server gets a call: progress by events, so a slow (starved) worker only takes longer, and the
   * test's own time limit is the one bound. A worker that dies before is a failure at once.
   */
  const until = (child: ChildProcess, check: () => boolean | Promise<boolean>) =>
    new Promise<void>((resolve, reject) => {
      let looking = false;
      let again = false;
      const stop = () => {
        child.stdout?.off('data', look);
        received.off('call', look);
        child.off('exit', died);
      };
      const died = (code: number | null, signal: string | null) => {
        stop();
        reject(new Error(`the worker ended (${code ?? signal}) before it got there`));
      };
      async function look() {
        if (looking) {
          again = true;
          return;
        }
        looking = true;
        try {
          do {
            again = false;
            if (await check()) {
              stop();
              resolve();
              return;
            }
          } while (again);
        } catch (error) {
          stop();
          reject(error);
        } finally {
          looking = false;
        }
      }
      child.stdout?.on('data', look);
      received.on('call', look);
      child.once('exit', died);
      void look();
    });

  const count = async (query: postgres.PendingQuery<{ n: number }[]>) => (await query)[0]?.n ?? 0;
  const ticks = () =>
    count(sql`SELECT count(*)::int AS n FROM ws_default._wf_instances WHERE process_id = 'tick'`);

  it('continues every instance after a SIGKILL, losing and duplicating nothing', async () => {
    const first = startWorker();
    await until(first, async () => held !== null && (await ticks()) >= 1);
    await kill(first);
    const ticksBefore = await ticks();
    const second = startWorker();
    await until(
      second,
      async () =>
        (await count(
          sql`SELECT count(*)::int AS n FROM ws_default._wf_tasks WHERE state = 'open' AND process_id = 'crash'`,
        )) >= TOTAL &&
        (await count(sql`SELECT count(*)::int AS n FROM ws_default._wf_jobs WHERE kind <> 'start-timer'`)) ===
          0 &&
        (await ticks()) >= ticksBefore + 2,
    );
    await kill(second);

    const instances = await sql<{ business_key: string; state: string }[]>`
      SELECT business_key, state FROM ws_default._wf_instances WHERE process_id = 'crash' ORDER BY business_key`;
    expect(instances).toHaveLength(TOTAL);
    expect(new Set(instances.map((i) => i.business_key)).size).toBe(TOTAL);
    expect(instances.every((i) => i.state === 'active')).toBe(true);
    // one task per instance, at the user task after the timer
    const tasks = await sql<{ instance_id: string; n: number }[]>`
      SELECT instance_id, count(*)::int AS n FROM ws_default._wf_tasks GROUP BY instance_id`;
    expect(tasks).toHaveLength(TOTAL);
    expect(tasks.every((t) => t.n === 1)).toBe(true);
    const tokens = await sql<{ element_id: string; n: number }[]>`
      SELECT element_id, count(*)::int AS n FROM ws_default._wf_tokens GROUP BY element_id`;
    expect(tokens).toEqual([{ element_id: 'after', n: TOTAL }]);
    // each timer fired once, each job completed once
    const fired = await sql<{ event: string; per: number; n: number }[]>`
      SELECT event, per, count(*)::int AS n FROM (SELECT h.instance_id, h.event, count(*)::int AS per
        FROM ws_default._wf_history h JOIN ws_default._wf_instances i ON i.id = h.instance_id
        WHERE i.process_id = 'crash' AND h.event IN ('timer-fired', 'job-completed') GROUP BY h.instance_id, h.event) x
      GROUP BY event, per ORDER BY event`;
    expect(fired).toEqual([
      { event: 'job-completed', per: 1, n: TOTAL },
      { event: 'timer-fired', per: 1, n: TOTAL },
    ]);
    // the cron schedule: every instance started by its own occurrence, none twice, across the kill
    const occurrences = await sql<{ due: string; n: number }[]>`
      SELECT h.data->>'dueAt' AS due, count(*)::int AS n FROM ws_default._wf_history h
      JOIN ws_default._wf_instances i ON i.id = h.instance_id
      WHERE i.process_id = 'tick' AND h.event = 'timer-fired' GROUP BY 1`;
    expect(occurrences.length).toBe(await ticks());
    expect(occurrences.every((o) => o.n === 1)).toBe(true);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM ws_default._wf_jobs WHERE kind = 'start-timer'`),
    ).toBe(1);
    // the webhook: at least once per job, each with that job's key and its own body; the call cut by
    // the kill was made again with the same key
    const completed = await sql<{ key: string }[]>`
      SELECT data->>'jobId' AS key FROM ws_default._wf_history WHERE event = 'job-completed'`;
    expect(new Set(calls.map((c) => c.key))).toEqual(new Set(completed.map((j) => j.key)));
    expect(calls.filter((c) => c.key === held).length).toBeGreaterThanOrEqual(2);
    const ordersByKey = new Map<string, Set<string>>();
    for (const call of calls)
      ordersByKey.set(call.key, (ordersByKey.get(call.key) ?? new Set()).add(call.order));
    expect([...ordersByKey.values()].every((orders) => orders.size === 1)).toBe(true);
    expect(new Set(calls.map((c) => c.order)).size).toBe(TOTAL);
    expect(await count(sql`SELECT count(*)::int AS n FROM ws_default._wf_incidents`)).toBe(0);
    // two server processes starting (tsx) and working: the one bound on the waits above
  }, 600_000);
});
