import { createFieldTypeRegistry, feelCompletions } from '@crm/engine/browser';
import { useMemo } from 'react';
import type { FeelCompletion, ModuleDefinition } from '../api.ts';

/** The engine's own field types, for what runs in the browser (completions, the preview's schemas). */
export const browserRegistry = createFieldTypeRegistry();

/**
 * The names an expression of the definition being edited may use, unsaved fields included: the
 * engine's browser entry computes them as the server's /api/meta/feel/completions does.
 */
export function useCompletions(
  definition: ModuleDefinition | undefined,
  ownField?: string,
): FeelCompletion[] {
  return useMemo(() => {
    if (!definition) return [];
    try {
      return feelCompletions(definition, browserRegistry, ownField) as FeelCompletion[];
    } catch {
      return [];
    }
  }, [definition, ownField]);
}
