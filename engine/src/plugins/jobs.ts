import { type SQL, sql } from 'drizzle-orm';
import { processTimeZone } from '../autonumber/backfill.ts';
import type { Db } from '../storage/db.ts';
import { addDuration, nextCron, parseDuration } from '../workflow/timers.ts';
import type { EnginePlugin, PluginJob } from './types.ts';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * When a job runs next after `from`: `every` after it, or the cron expression's first occurrence
 * strictly after it in the job's time zone (else `zone`, the workspace's), so occurrences missed while
 * no server ran are not made up one by one. Throws naming the job when its schedule is not valid
 * (definePlugin checks it at once).
 */
export function nextRun(job: PluginJob, from: Date, zone = processTimeZone()): Date {
  const fail = (reason: string) => new Error(`job '${job.name}': ${reason}`);
  if ((job.every === undefined) === (job.cron === undefined)) {
    throw fail(
      "give either 'every' (an ISO 8601 duration such as PT15M) or 'cron' (such as 0 9 * * MON-FRI)",
    );
  }
  if (job.cron !== undefined) {
    if (job.timezone !== undefined && (typeof job.timezone !== 'string' || !isTimeZone(job.timezone))) {
      throw fail(`'timezone' must be an IANA time zone such as Asia/Shanghai, not '${job.timezone}'`);
    }
    const next = typeof job.cron === 'string' ? nextCron(job.cron, from, job.timezone ?? zone) : null;
    if (!next) throw fail(`'cron' must be a cron expression such as 0 9 * * MON-FRI, not '${job.cron}'`);
    return next;
  }
  if (job.timezone !== undefined) throw fail("'timezone' goes with 'cron' only");
  const every = typeof job.every === 'string' ? parseDuration(job.every) : null;
  if (!every) throw fail(`'every' must be an ISO 8601 duration such as PT15M`);
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
  zone: string,
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
        sql`UPDATE ${table} SET next_run = ${nextRun(job, now, zone).toISOString()}, last_run = ${now.toISOString()}
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
