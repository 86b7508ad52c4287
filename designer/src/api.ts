// The designer's calls to the REST API, typed (over the shared client of @crm/ui).
import type { FieldDefinition, LocaleText, ModuleDefinition, ModuleSummary } from '@crm/engine/browser';
import { api } from '@crm/ui';

export interface ApiProblemBody {
  pointer: string;
  code?: string;
  detail?: string;
  messages?: LocaleText;
}

export interface ModuleState {
  id: string;
  name: string;
  draft: ModuleDefinition | null;
  published: ModuleDefinition | null;
  publishedVersion: number | null;
  draftProblems: ApiProblemBody[];
}

export interface FieldTypeInfo {
  type: string;
  label: LocaleText;
  widget: string;
  settings: { type: 'object'; properties?: Record<string, JsonSchemaLike>; required?: string[] };
  computed: boolean;
}

export interface JsonSchemaLike {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchemaLike;
  properties?: Record<string, JsonSchemaLike>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  $ref?: string;
  [key: string]: unknown;
}

export interface ConversionSample {
  id: string;
  value: unknown;
  converted: unknown;
  problem: 'unconvertible' | 'lossy';
}

export interface PlanStep {
  kind: string;
  module: string;
  field?: string;
  description: LocaleText;
  sql: string[];
  rewritesTable?: boolean;
  conversion?: {
    field: string;
    from: string;
    to: string;
    values: number;
    unconvertible: number;
    lossy: number;
    samples: ConversionSample[];
    summary: LocaleText;
  };
}

export interface PlanSentence {
  module: string;
  kind: string;
  field?: string;
  text: LocaleText;
  warning?: boolean;
  rewritesTable?: boolean;
}

export interface PublishPreview {
  modules: { id: string; name: string; fromVersion: number | null; toVersion: number }[];
  steps: PlanStep[];
  problems: ApiProblemBody[];
  summary: PlanSentence[];
}

export interface ModuleVersion {
  version: number;
  publishedAt: string;
  publishedBy: string | null;
}

export interface DefinitionChange {
  part: string;
  change: 'added' | 'removed' | 'changed' | 'renamed' | 'reordered';
  name?: string;
  from?: unknown;
  to?: unknown;
  settings?: string[];
  description: LocaleText;
}

export interface FeelProblem {
  kind: 'syntax' | 'unknown-variable' | 'unknown-function';
  message: string;
  from: number;
  to: number;
}

export interface FeelCompletion {
  name: string;
  kind: 'field' | 'system' | 'function';
  feelType?: string;
  fieldType?: string;
  label?: LocaleText;
}

export type FeelTrial =
  | { ok: true; value: unknown; type: string; warnings: string[] }
  | { ok: false; problems: FeelProblem[] };

/** Where an expression is checked: a module (draft or published) or the designer's unsaved definition. */
export interface FeelTarget {
  module?: string;
  definition?: ModuleDefinition;
  /** The formula field being written. */
  field?: string;
  /** A sub-table of the definition: the expression reads one of its rows (row rules, row formulas). */
  subtable?: string;
  /**
   * Instead of a module's fields: `record-event` (a webhook filter or record trigger) reads `old`, `new`
   * and `actor`, `record-action` (a manual action's condition) `record` and `actor`.
   */
  scope?: 'record-event' | 'record-action';
}

const encode = encodeURIComponent;

export const designerApi = {
  modules: () => api.get<ModuleSummary[]>('/api/meta/modules'),
  module: (id: string) => api.get<ModuleState>(`/api/meta/modules/${encode(id)}`),
  createModule: (definition: Partial<ModuleDefinition>) =>
    api.post<ModuleState>('/api/meta/modules', definition),
  saveDraft: (id: string, definition: ModuleDefinition) =>
    api.put<ModuleState>(`/api/meta/modules/${encode(id)}/draft`, definition),
  discardDraft: (id: string) => api.delete<void>(`/api/meta/modules/${encode(id)}/draft`),
  setArchived: (id: string, archived: boolean) =>
    api.put<ModuleSummary>(`/api/meta/modules/${encode(id)}/archived`, { archived }),
  fieldTypes: () => api.get<FieldTypeInfo[]>('/api/meta/field-types'),
  preview: (modules: string[], confirmDataLoss = false) =>
    api.post<PublishPreview>('/api/meta/publish/preview', { modules, confirmDataLoss }),
  publish: (modules: string[], confirmDataLoss = false) =>
    api.post<PublishPreview>('/api/meta/publish', { modules, confirmDataLoss }),
  versions: (id: string) => api.get<ModuleVersion[]>(`/api/meta/modules/${encode(id)}/versions`),
  diff: (id: string, from: number | 'draft', to: number | 'draft') =>
    api.get<{ changes: DefinitionChange[]; before: ModuleDefinition; after: ModuleDefinition }>(
      `/api/meta/modules/${encode(id)}/diff`,
      { query: { from, to } },
    ),
  restoreVersion: (id: string, version: number) =>
    api.post<ModuleState>(`/api/meta/modules/${encode(id)}/versions/${version}/restore`),
  feelCheck: (target: FeelTarget, expression: string) =>
    api.post<{ valid: boolean; problems: FeelProblem[]; resultType: string | null }>('/api/meta/feel/check', {
      ...target,
      expression,
    }),
  feelCompletions: (module: string, field?: string) =>
    api.get<FeelCompletion[]>('/api/meta/feel/completions', { query: { module, field } }),
  feelEvaluate: (target: FeelTarget, expression: string, input: { record: object } | { recordId: string }) =>
    api.post<FeelTrial>('/api/meta/feel/evaluate', { ...target, expression, ...input }),
};

export type { FieldDefinition, LocaleText, ModuleDefinition, ModuleSummary };
