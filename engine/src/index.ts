export { AccessControl } from './access/access-control.ts';
export { ACCESS_CHANNEL, announceAccessChange } from './access/announce.ts';
export { mayRead } from './access/field-rights.ts';
export {
  OPERATION_ACTIONS,
  type OperationAction,
  type OperationEntry,
  OperationLog,
  type OperationQuery,
} from './access/operation-log.ts';
export type { FieldAccess, Policy, Subject } from './access/policy.ts';
export { type AccessTables, accessPredicate, scopeCondition } from './access/predicate.ts';
export {
  FIELD_RIGHTS,
  type FieldRight,
  OPERATIONS,
  type Operation,
  SCOPES,
  type Scope,
} from './access/rights.ts';
export type { ModuleGrant, RoleDefinition } from './access/role-definition.ts';
export { roleMetaSchema } from './access/role-meta-schema.ts';
export { RoleStore, type StoredRole } from './access/roles.ts';
export { type PrincipalType, type Share, type ShareAccess, ShareService } from './access/shares.ts';
export * from './browser.ts';
export { type InverseRelation, ModuleCatalog } from './catalog.ts';
export { ArchivedColumnStore, type ArchivedData } from './definitions/archive.ts';
export { checkListView, listViewOf } from './definitions/list-view.ts';
export {
  type DefinitionDiff,
  DefinitionStore,
  type ModuleState,
  type PublicStep,
  type PublishOptions,
  type PublishPreview,
  type PublishResult,
} from './definitions/store.ts';
export {
  APPROVAL_ATTACHMENT_MAX_SIZE,
  cleanFileName,
  DEFAULT_PLATFORM_MAX_SIZE,
  type FileDownload,
  type FileOptions,
  FileService,
  type StoredFile,
  UNATTACHED_GRACE_MS,
} from './files/service.ts';
export { type ByteRange, CHUNK_SIZE, type StorageKind } from './files/stores.ts';
export * from './identity/index.ts';
export * from './net/index.ts';
export type {
  Notification,
  NotificationInput,
  NotificationLink,
  NotificationQuery,
  NotificationService,
  NotificationText,
} from './notifications/service.ts';
export type { PackageChange } from './packages/changes.ts';
export { readPackageFolder } from './packages/folder.ts';
export {
  MANIFEST_FILE,
  PACKAGE_FORMAT,
  type PackageFiles,
  type PackageManifest,
  splitFilePointer,
} from './packages/format.ts';
export { type ExportOptions, PackageService } from './packages/service.ts';
export type { PackageImportResult, PackageItemPreview, PackagePreview } from './packages/types.ts';
export * from './plugins/index.ts';
export { type BulkFailure, MAX_BULK } from './records/bulk.ts';
export { type Filter, OPERATORS } from './records/filter.ts';
export type { LinkList } from './records/links.ts';
export {
  DEFAULT_PAGE,
  type ListQuery,
  MAX_PAGE,
  RecordService,
  type WriteOptions,
} from './records/service.ts';
export type {
  Actor,
  ActorVia,
  HistoryEntry,
  Page,
  RecordValues,
  RowChanges,
  StoredRecord,
} from './records/types.ts';
export { SYSTEM_ACTOR } from './records/types.ts';
export { rollupFilterScope } from './rollups/filter-scope.ts';
export { FEW_MATCHES, MAX_SEARCH_LENGTH } from './search/query.ts';
export { SEARCH_COLUMN } from './search/spec.ts';
export {
  gramsOf,
  MAX_INDEXED_CHARS,
  normalizeText,
  phoneDigits,
  type Token,
  tokenize,
} from './search/text.ts';
export type { ConversionReport, ConversionSample } from './storage/conversion-report.ts';
export { type Db, dbErrorInfo } from './storage/db.ts';
export { subtableName } from './storage/naming.ts';
export { openPglite } from './storage/pglite.ts';
export type { MigrationStep } from './storage/plan.ts';
export { openPostgres } from './storage/postgres.ts';
export {
  MAX_VIEWS_PER_MODULE,
  type SavedView,
  SavedViewStore,
  type ViewSettings,
} from './views/saved-views.ts';
export * from './webhooks/index.ts';
export * from './workflow/index.ts';
export { Engine, type EngineOptions, openDatabase, Workspace, type WorkspaceAccess } from './workspace.ts';
