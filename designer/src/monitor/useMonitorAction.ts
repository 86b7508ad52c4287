import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useState } from 'react';
import { useProblemLines } from '../errors.ts';

/**
 * Runs a monitor command (retry, cancel): on success shows `done` and refreshes every monitor query,
 * on failure shows the problem. `busy` is the key of the command running.
 */
export function useMonitorAction() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const problemLines = useProblemLines();
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const run = async (key: string, command: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(key);
    try {
      await command();
      message.success(done);
      await queryClient.invalidateQueries({ queryKey: ['monitor'] });
      return true;
    } catch (error) {
      message.error(problemLines(error).join('; '));
      return false;
    } finally {
      setBusy(undefined);
    }
  };
  return { busy, run };
}
