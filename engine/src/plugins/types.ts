import type { SQL } from 'drizzle-orm';
import type { LocaleText, ModuleDefinition } from '../definitions/types.ts';
import type { FieldType } from '../fields/registry.ts';
import type { PackageFiles } from '../packages/format.ts';
import type { Actor, RecordValues, StoredRecord } from '../records/types.ts';
import type { ActionContext, ActionParameter } from '../workflow/actions.ts';
import type { Variables } from '../workflow/expression.ts';
import type { Workspace } from '../workspace.ts';

/**
 * A field type a plugin adds: the engine's own contract (column, JSON Schema, FEEL type, `validate`
 * on the server, the form `widget` and list `cell` the browser registers).
 */
export type PluginFieldType = FieldType;

/** What every hook and job gets besides its own arguments. */
export interface PluginContext {
  plugin: string;
  workspace: Workspace;
  /** Log lines of the plugin, prefixed with its name. */
  log(message: string): void;
  /** A table of the workspace's schema (the plugin's own, made by its migrations), for `query`. */
  table(name: string): SQL;
  /**
   * Runs SQL written as a tagged template: values become parameters, `table()` names a table.
   * `` ctx.query`SELECT * FROM ${ctx.table('notes')} WHERE id = ${id}` ``
   */
  query<T = Record<string, unknown>>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
}

export interface HookContext extends PluginContext {
  /** The module's name and its published definition. */
  module: ModuleDefinition;
  actor: Actor;
}

export type Awaitable<T> = T | Promise<T>;

/**
 * Record hooks of one module (or every module with `module: '*'`). A before hook returns the values
 * to write (or nothing to keep them) and rejects with an `EngineError` (a field error: pointer,
 * en and zh-CN); it runs before anything is written. After hooks run once the write has committed.
 */
export interface RecordHooks {
  module: string;
  beforeCreate?(values: RecordValues, ctx: HookContext): Awaitable<RecordValues | undefined>;
  afterCreate?(record: StoredRecord, ctx: HookContext): Awaitable<void>;
  /** `patch` holds the fields being changed; `current` the record as stored (read under its lock). */
  beforeUpdate?(
    patch: RecordValues,
    ctx: HookContext & { current: StoredRecord },
  ): Awaitable<RecordValues | undefined>;
  afterUpdate?(record: StoredRecord, ctx: HookContext): Awaitable<void>;
  beforeDelete?(record: StoredRecord, ctx: HookContext): Awaitable<void>;
  afterDelete?(record: StoredRecord, ctx: HookContext): Awaitable<void>;
}

/** A service-task action (`zeebe:taskDefinition type`), run as a job: at least once, with retries. */
export interface PluginAction {
  type: string;
  label: LocaleText;
  description: LocaleText;
  inputs: ActionParameter[];
  outputs: ActionParameter[];
  run(context: ActionContext & PluginContext): Promise<Variables | undefined>;
}

/**
 * A migration of the plugin's own tables, run once per workspace at install, in one transaction
 * with its record: SQL statements in which `{{schema}}` stands for the workspace's (quoted) schema.
 */
export interface PluginMigration {
  id: string;
  statements: string[];
}

/** A job run on a fixed interval by one server at a time (`every`: ISO 8601 duration, e.g. PT15M). */
/** Work run on a schedule, once per due time across servers: `every` or `cron`, not both. */
export interface PluginJob {
  name: string;
  /** An ISO 8601 duration between runs (`PT15M`, `P1D`). */
  every?: string;
  /** A cron expression (5 fields, or 6 with seconds first; `@daily` …), as workflow schedules take. */
  cron?: string;
  /** The IANA time zone `cron` is read in (default: the workspace's, `CRM_TIMEZONE`). */
  timezone?: string;
  run(ctx: PluginContext & { now: Date }): Promise<void>;
}

/**
 * What a plugin brings to the engine (HTTP routes are the runtime's business and ride along
 * untyped here). `definitions` are an app package (modules, roles, flows) imported at install.
 */
export interface EnginePlugin {
  name: string;
  version: string;
  label?: LocaleText;
  fieldTypes?: PluginFieldType[];
  hooks?: RecordHooks[];
  actions?: PluginAction[];
  migrations?: PluginMigration[];
  jobs?: PluginJob[];
  definitions?: PackageFiles | (() => Promise<PackageFiles>);
  /** Statements dropping what the migrations made (`{{schema}}` as there), run by an uninstall with purge. */
  purge?: string[];
  routes?: unknown;
}

export type PluginState = 'enabled' | 'disabled' | 'uninstalled';

export interface PluginStatus {
  name: string;
  version: string;
  label: LocaleText | null;
  state: PluginState;
  installedVersion: string | null;
  installedAt: string | null;
  /** The newest failure of a hook, action or job (survives restarts). */
  lastError: { at: string; message: string } | null;
  contributes: {
    fieldTypes: string[];
    hooks: string[];
    actions: string[];
    jobs: string[];
    routes: boolean;
    definitions: boolean;
  };
}
