/** The engine's pure parts: safe to import in the browser (no database, no node: modules). */

export { formatNumber, type ParsedPattern, parsePattern, periodKey } from './autonumber/pattern.ts';
export { createAjv, problemsFromAjv } from './compile/ajv.ts';
export {
  CONDITION_KEYS,
  type ConditionKey,
  type ConditionState,
  compileConditions,
  type FieldConditions,
  type FormConditions,
} from './compile/conditions.ts';
export {
  type FeelCompletion,
  feelCompletions,
  feelFieldsFor,
  feelSampleValues,
  feelScopeFor,
  subtableOf,
} from './compile/feel-assist.ts';
export {
  computeFormulas,
  computeRowFormulas,
  type FormulaModule,
  feelInput,
  formulaValue,
  rowFeelInput,
} from './compile/formula-values.ts';
export { fieldJsonSchema, localize, recordJsonSchema } from './compile/json-schema.ts';
export { compileFormFormulas, type FormFormulas, formFormulasOf } from './compile/live-formulas.ts';
export { type CompiledModule, compileModule } from './compile/module.ts';
export { feelScopeOf } from './compile/scope.ts';
export { fieldOrder, fieldUiSchema, recordUiSchema } from './compile/ui-schema.ts';
export { DefinitionChecker } from './definitions/check.ts';
export { checkPool, POOL_FIELD_TYPES } from './definitions/check-pool.ts';
export { fetchedValue } from './definitions/fetch-from.ts';
export { assignIds, newId } from './definitions/ids.ts';
export { checkListView, listViewFields, listViewOf } from './definitions/list-view.ts';
export { fieldMetaSchema, moduleMetaSchema } from './definitions/meta-schema.ts';
export { API_NAME_MAX, API_NAME_PATTERN, RESERVED_NAMES, SYSTEM_FIELDS } from './definitions/names.ts';
export { type PlannedModule, type PlanSentence, planInWords } from './definitions/plan-words.ts';
export { titleFieldOf } from './definitions/title.ts';
export type * from './definitions/types.ts';
export { SUPPORTED_LOCALES } from './definitions/types.ts';
export { EngineError, type EngineErrorKind, type Problem, pointerOf } from './errors.ts';
export * from './expressions/index.ts';
export { type FileReference, type FileSettings, fileSettings } from './fields/file.ts';
export type { ColumnSpec, FieldType, FilterFamily, JsonSchema, ValueProblem } from './fields/index.ts';
export { builtInFieldTypes, createFieldTypeRegistry, FieldTypeRegistry } from './fields/index.ts';
export { NOT_IN_ROWS } from './fields/subtable.ts';
export { canonicalJson } from './packages/canonical-json.ts';
export type { RelatedListInfo } from './records/related.ts';
export type { HistoryEntry, NewRecordDefaults, RowChanges } from './records/types.ts';
export type { DeliveryAttempt, Webhook, WebhookDelivery } from './webhooks/service.ts';
export type {
  ApprovalStatus,
  ApprovalSummary,
  TimelineAction,
  TimelineEntry,
  TimelineStep,
  UserRef,
} from './workflow/approvals/inbox.ts';
export { crmDescriptor } from './workflow/crm-descriptor.ts';
export type { InstanceLabels, MonitoredHistoryEvent, MonitoredInstance } from './workflow/monitor.ts';
export type {
  ElementActivity,
  IncidentView,
  InstanceDetail,
  Schedule,
  StuckReport,
} from './workflow/queries.ts';
export type { InstanceRow, InstanceState } from './workflow/rows.ts';
