import { useLocalize } from '@crm/ui';

interface SettingProblem {
  pointer: string;
  message: string;
  messages?: Record<string, string>;
}

/**
 * A form item's error state and text for the problems at `pointer` or inside it (from the engine's
 * publish-time checks, run in the browser on the unsaved definition).
 */
export function useProblemAt(problems: SettingProblem[]) {
  const localize = useLocalize();
  return (pointer: string) => {
    const found = problems.filter((p) => p.pointer === pointer || p.pointer.startsWith(`${pointer}/`));
    return found.length === 0
      ? {}
      : {
          validateStatus: 'error' as const,
          help: found.map((p) => localize(p.messages, p.message)).join('; '),
        };
  };
}
