// A server killed (SIGKILL) in the middle of flows with service tasks and timers, then started again:
// every instance continues, no task is lost or duplicated, no timer fires twice, and each service job ran
// at least once, every run of it with the same idempotency key.
import { type ChildProcess, spawn } from 'node:child_process';
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
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('wf_crash');
    const engine = await Engine.open({ db: await openPostgres(database.url) });
    await engine.workspace('default');
    await engine.close();
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await sql`CREATE TABLE public.crash_calls (key uuid NOT NULL, attempt integer NOT NULL, pid integer NOT NULL)`;
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await sql?.end();
    await database?.drop();
  });

  const startWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: { ...process.env, CRASH_DATABASE_URL: database.url, CRASH_TOTAL: String(TOTAL) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };

  /** Polls `check` until it holds (the worker runs on real time); fails after `tries`. */
  const until = async (check: () => Promise<boolean>, tries = 1200) => {
    for (let i = 0; i < tries; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the workers did not get there');
  };

  const count = async (query: postgres.PendingQuery<{ n: number }[]>) => (await query)[0]?.n ?? 0;

  it('continues every instance after a SIGKILL, losing and duplicating nothing', async () => {
    const first = startWorker();
    await until(
      async () => (await count(sql`SELECT count(*)::int AS n FROM public.crash_calls`)) >= TOTAL / 3,
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const second = startWorker();
    await until(
      async () =>
        (await count(sql`SELECT count(*)::int AS n FROM ws_default._wf_tasks WHERE state = 'open'`)) >=
          TOTAL && (await count(sql`SELECT count(*)::int AS n FROM ws_default._wf_jobs`)) === 0,
    );
    second.kill('SIGKILL');
    await new Promise((resolve) => second.once('exit', resolve));

    const instances = await sql<{ business_key: string; state: string }[]>`
      SELECT business_key, state FROM ws_default._wf_instances ORDER BY business_key`;
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
      SELECT event, per, count(*)::int AS n FROM (SELECT instance_id, event, count(*)::int AS per
        FROM ws_default._wf_history WHERE event IN ('timer-fired', 'job-completed') GROUP BY instance_id, event) x
      GROUP BY event, per ORDER BY event`;
    expect(fired).toEqual([
      { event: 'job-completed', per: 1, n: TOTAL },
      { event: 'timer-fired', per: 1, n: TOTAL },
    ]);
    // the external call: at least once per job, always with that job's key
    const keys = await count(sql`SELECT count(DISTINCT key)::int AS n FROM public.crash_calls`);
    expect(keys).toBe(TOTAL);
    const jobsCompleted = await sql<{ key: string }[]>`
      SELECT data->>'jobId' AS key FROM ws_default._wf_history WHERE event = 'job-completed'`;
    const called = await sql<{ key: string }[]>`SELECT DISTINCT key::text AS key FROM public.crash_calls`;
    expect(new Set(called.map((c) => c.key))).toEqual(new Set(jobsCompleted.map((j) => j.key)));
    expect(await count(sql`SELECT count(*)::int AS n FROM ws_default._wf_incidents`)).toBe(0);
  });
});
