// Plugin jobs on cron schedules: read in the job's time zone or the workspace's, run once per
// occurrence across servers (two runners claiming at once), missed occurrences not made up one by
// one; definePlugin refuses a bad schedule naming the job. Time moves on a test clock.
import { definePlugin } from '@crm/sdk';
import { afterAll, expect, it } from 'vitest';
import { testClock } from '../../support/clock.ts';
import { forEachDatabase } from '../../support/engines.ts';

// Monday 08:30 in Shanghai, 02:30 in Berlin (summer time); each database's suite starts there
const START = Date.parse('2026-05-04T00:30:00Z');
const clock = testClock(START);
const runs: string[] = [];

const reports = definePlugin({
  name: 'reports',
  version: '1.0.0',
  jobs: [
    {
      name: 'morning',
      cron: '0 9 * * MON-FRI',
      async run({ now }) {
        runs.push(`morning ${now.toISOString()}`);
      },
    },
    {
      name: 'berlin',
      cron: '0 3 * * *',
      timezone: 'Europe/Berlin',
      async run({ now }) {
        runs.push(`berlin ${now.toISOString()}`);
      },
    },
  ],
});

forEachDatabase(
  'plugin cron jobs',
  (handle) => {
    afterAll(() => clock.advance(START - clock.now().getTime()));

    it('runs each occurrence once, in the workspace time zone or the job own', async () => {
      const plugins = handle().workspace.plugins;
      runs.length = 0;
      expect((await plugins.runDueJobs()).ran).toEqual([]);
      clock.advance(30 * 60_000); // 09:00 Shanghai, 03:00 Berlin: both due
      const [a, b] = await Promise.all([plugins.runDueJobs(), plugins.runDueJobs()]);
      expect([...a.ran, ...b.ran].sort()).toEqual(['reports/berlin', 'reports/morning']);
      expect(runs.sort()).toEqual(['berlin 2026-05-04T01:00:00.000Z', 'morning 2026-05-04T01:00:00.000Z']);
      clock.advance(60 * 60_000);
      expect((await plugins.runDueJobs()).ran).toEqual([]);

      // four days pass with no server running: each job runs once, then at its next occurrence
      runs.length = 0;
      clock.advance(4 * 86_400_000); // Friday 8 May, 10:00 Shanghai
      expect((await plugins.runDueJobs()).ran.sort()).toEqual(['reports/berlin', 'reports/morning']);
      expect((await plugins.runDueJobs()).ran).toEqual([]);
      clock.advance(23 * 3_600_000); // Saturday 09:00 Shanghai: no morning run at weekends
      expect((await plugins.runDueJobs()).ran).toEqual(['reports/berlin']);
    });
  },
  { clock: clock.now, workflow: { clock: clock.now, timeZone: 'Asia/Shanghai' }, plugins: [reports] },
);

it('refuses a bad schedule, naming the job and the reason', () => {
  const job = { name: 'x', run: async () => {} };
  const define = (extra: Record<string, unknown>) => () =>
    definePlugin({ name: 'bad', version: '1.0.0', jobs: [{ ...job, ...extra }] });
  expect(define({ cron: '0 25 * * *' })).toThrow("jobs/0: job 'x': 'cron' must be a cron expression");
  expect(define({ cron: '0 9 * * *', timezone: 'Mars/Olympus' })).toThrow(
    "'timezone' must be an IANA time zone",
  );
  expect(define({ cron: '0 9 * * *', every: 'PT1H' })).toThrow("give either 'every'");
  expect(define({})).toThrow("give either 'every'");
  expect(define({ every: 'PT1H', timezone: 'Asia/Shanghai' })).toThrow("'timezone' goes with 'cron' only");
  expect(define({ every: 'hourly' })).toThrow("'every' must be an ISO 8601 duration");
  expect(define({ cron: '@daily', timezone: 'Asia/Shanghai' })).not.toThrow();
});
