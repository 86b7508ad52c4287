import type { ConditionState } from '@crm/engine/browser';
import type { FormText } from './messages.ts';
import type { ErrorTree } from './problems.ts';
import type { FormServices } from './services.ts';

/** What every widget of a record form may read (rjsf's `formContext`). */
export interface RecordFormContext {
  module: string;
  locale: string;
  text: FormText;
  services: FormServices;
  /** The conditions decided for the current values. */
  conditions: ConditionState;
  /** Errors by pointer, for fields rendering their own parts (sub-table cells). */
  errors: ErrorTree;
}

export function formContextOf(registry: { formContext?: unknown }): RecordFormContext {
  return registry.formContext as RecordFormContext;
}
