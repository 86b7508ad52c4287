import {
  createFieldTypeRegistry,
  type FieldType,
  type FieldTypeRegistry,
  feelCompletions,
} from '@crm/engine/browser';
import { pluginFieldTypes } from '@crm/sdk/browser';
import { useMemo } from 'react';
import type { FeelCompletion, ModuleDefinition } from '../api.ts';

let registry: FieldTypeRegistry | undefined;

/**
 * The engine's own field types and those of the plugins' browser entries, for what runs in the
 * browser (completions, the preview's schemas). Made at first use: the entries register at start.
 */
export function browserRegistry(): FieldTypeRegistry {
  if (!registry) {
    registry = createFieldTypeRegistry();
    for (const type of pluginFieldTypes() as FieldType[])
      if (!registry.get(type.type)) registry.register(type);
  }
  return registry;
}

/**
 * The names an expression of the definition being edited may use, unsaved fields included (those of
 * one row of `subtable` for a row expression): the engine's browser entry computes them as the
 * server's /api/meta/feel/completions does.
 */
export function useCompletions(
  definition: ModuleDefinition | undefined,
  ownField?: string,
  subtable?: string,
): FeelCompletion[] {
  return useMemo(() => {
    if (!definition) return [];
    try {
      return feelCompletions(definition, browserRegistry(), ownField, subtable) as FeelCompletion[];
    } catch {
      return [];
    }
  }, [definition, ownField, subtable]);
}
