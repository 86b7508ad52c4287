import type { StuckReport } from './queries.ts';
import type { DueWorkResult } from './service.ts';

/** What a runner polls: the workflow engine, or anything else with due work claimed the same way (webhooks). */
export interface DueWorkSource {
  runDueWork(limit: number): Promise<DueWorkResult>;
  /** Looks for stuck work (only polled with `onStuck`). */
  sweep?(): Promise<StuckReport>;
}

export interface RunnerOptions {
  /** Pause between polls when there was nothing to do (default 1 s). */
  intervalMs?: number;
  /** Jobs claimed per poll (default 50). */
  batch?: number;
  /** Called with an error a poll failed with (the runner goes on). */
  onError?: (error: unknown) => void;
  /** Called with the sweeper's report when it finds stuck work (checked every `sweepIntervalMs`). */
  onStuck?: (report: StuckReport) => void;
  /** Time between sweeps for stuck work (default 5 min; only with `onStuck`). */
  sweepIntervalMs?: number;
}

/** Whether a sweep found anything. */
export function isStuck(report: StuckReport): boolean {
  return (
    report.orphanTokens.length +
      report.expiredLeases.length +
      report.overdueJobs.length +
      report.emptyInstances.length >
    0
  );
}

/**
 * Polls for due timers and jobs until stopped. Any number of servers may run one: jobs are claimed
 * with SKIP LOCKED and a lease, and each is handled in its own transaction.
 */
export function startWorkflowRunner(
  service: DueWorkSource,
  options: RunnerOptions = {},
): () => Promise<void> {
  const interval = options.intervalMs ?? 1000;
  const batch = options.batch ?? 50;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const sweepEvery = options.sweepIntervalMs ?? 300_000;
  let lastSweep = Date.now();
  const loop = (async () => {
    while (!stopped) {
      if (options.onStuck && service.sweep && Date.now() - lastSweep >= sweepEvery) {
        lastSweep = Date.now();
        try {
          const report = await service.sweep();
          if (isStuck(report)) options.onStuck(report);
        } catch (error) {
          options.onError?.(error);
        }
      }
      let busy = false;
      try {
        const result = await service.runDueWork(batch);
        busy = result.handled + result.failed >= batch;
      } catch (error) {
        options.onError?.(error);
      }
      if (busy || stopped) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, interval);
      });
    }
  })();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    wake?.();
    await loop;
  };
}
