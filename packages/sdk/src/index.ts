/** @crm/sdk: what plugin authors import (server side). Browser pieces: `@crm/sdk/browser`. */
export type {
  ActionContext,
  ActionParameter,
  Actor,
  ColumnSpec,
  FieldDefinition,
  HookContext,
  JsonSchema,
  LocaleText,
  PluginAction,
  PluginContext,
  PluginFieldType,
  PluginJob,
  PluginMigration,
  RecordHooks,
  RecordValues,
  StoredRecord,
  ValueProblem,
  Variables,
} from '@crm/engine';
export { BpmnError, EngineError, SYSTEM_ACTOR } from '@crm/engine';
export { definePlugin, type PluginDefinition } from './define.ts';
export { fieldError } from './errors.ts';
export { packageFolder } from './package-folder.ts';
export type { PluginRouteEnv } from './routes.ts';
