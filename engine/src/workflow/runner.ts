import type { WorkflowService } from './service.ts';

export interface RunnerOptions {
  /** Pause between polls when there was nothing to do (default 1 s). */
  intervalMs?: number;
  /** Jobs claimed per poll (default 50). */
  batch?: number;
  /** Called with an error a poll failed with (the runner goes on). */
  onError?: (error: unknown) => void;
}

/**
 * Polls for due timers and jobs until stopped. Any number of servers may run one: jobs are claimed
 * with SKIP LOCKED and a lease, and each is handled in its own transaction.
 */
export function startWorkflowRunner(
  service: WorkflowService,
  options: RunnerOptions = {},
): () => Promise<void> {
  const interval = options.intervalMs ?? 1000;
  const batch = options.batch ?? 50;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
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
