import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../storage/db.ts';
import { addDuration, parseDuration } from '../workflow/timers.ts';
import type { EnginePlugin, PluginJob } from './types.ts';

/** When a job runs next after `from`; its `every` was checked when the plugin was defined. */
export function nextRun(job: PluginJob, from: Date): Date {
  const every = parseDuration(job.every);
  if (!every) throw new Error(`job '${job.name}': 'every' must be an ISO 8601 duration such as PT15M`);
  return addDuration(from, every);
}

/**
 * Claims the due jobs of `plugins`: one statement locks the due rows no other server holds (SKIP
 * LOCKED) and moves each one's next run on, so a job runs once per due time across servers.
 */
export async function dueJobs(
  db: Db,
  table: SQL,
  plugins: EnginePlugin[],
  now: Date,
): Promise<{ plugin: EnginePlugin; job: PluginJob }[]> {
  if (plugins.length === 0) return [];
  const claimed: { plugin: EnginePlugin; job: PluginJob }[] = [];
  await db.transaction(async (tx) => {
    const rows = await tx.query<{ plugin: string; name: string }>(
      sql`SELECT plugin, name FROM ${table}
          WHERE next_run <= ${now.toISOString()} AND plugin IN (${sql.join(
            plugins.map((p) => sql`${p.name}`),
            sql`, `,
          )})
          ORDER BY next_run FOR UPDATE SKIP LOCKED`,
    );
    for (const row of rows) {
      const plugin = plugins.find((p) => p.name === row.plugin);
      const job = plugin?.jobs?.find((j) => j.name === row.name);
      if (!plugin || !job) continue;
      await tx.run(
        sql`UPDATE ${table} SET next_run = ${nextRun(job, now).toISOString()}, last_run = ${now.toISOString()}
            WHERE plugin = ${row.plugin} AND name = ${row.name}`,
      );
      claimed.push({ plugin, job });
    }
  });
  return claimed;
}

/** Runs the plugins' due jobs every `intervalMs` (30 s) until the returned stop is called. */
export function startPluginJobRunner(
  service: { runDueJobs(): Promise<unknown> },
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = service.runDueJobs().catch((error) => (options.onError ?? console.error)(error));
  }, options.intervalMs ?? 30_000);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
