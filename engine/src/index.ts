export * from './browser.ts';
export { type InverseRelation, ModuleCatalog } from './catalog.ts';
export {
  DefinitionStore,
  type ModuleState,
  type PublishPreview,
  type PublishResult,
} from './definitions/store.ts';
export { type Filter, OPERATORS } from './records/filter.ts';
export {
  DEFAULT_PAGE,
  type ListQuery,
  MAX_PAGE,
  RecordService,
  type WriteOptions,
} from './records/service.ts';
export type { Actor, HistoryEntry, Page, StoredRecord } from './records/types.ts';
export { SYSTEM_ACTOR } from './records/types.ts';
export { type Db, dbErrorInfo } from './storage/db.ts';
export { openPglite } from './storage/pglite.ts';
export type { MigrationStep } from './storage/plan.ts';
export { openPostgres } from './storage/postgres.ts';
export { Engine, type EngineOptions, openDatabase, Workspace } from './workspace.ts';
