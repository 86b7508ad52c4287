import type { RoleStore } from '../access/roles.ts';
import type { DefinitionStore, PublishOptions } from '../definitions/store.ts';
import type { LocaleText, ModuleDefinition } from '../definitions/types.ts';
import type { Problem } from '../errors.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import type { MigrationStep } from '../storage/plan.ts';
import type { PackageChange } from './changes.ts';
import type { PackageFiles } from './format.ts';

/** One thing a package holds (a module, a role …), matched with the workspace's by its stable id. */
export interface PackageItem<T = unknown> {
  id: string;
  name: string;
  /** Its file, relative to the package root (the main one where an item has several). */
  file: string;
  value: T;
  /** Modules: the published version. */
  version?: number;
  /** Modules: whether an unpublished draft exists. */
  hasDraft?: boolean;
}

/** What a kind works with while a package is previewed or imported: all of it in one transaction. */
export interface KindContext {
  tx: Db;
  /** The definition store inside `tx`. */
  definitions: DefinitionStore;
  /** The role store inside `tx`, checking roles against `modulesAfter`. */
  roles: RoleStore;
  /** Every module as it will be after the import, by id. */
  modulesAfter: ReadonlyMap<string, ModuleDefinition>;
  actor: Actor;
  /** How the publish treats values a type change would lose. */
  publishOptions: PublishOptions;
  /** Try only: report the steps and problems, and leave rolling back to the caller. */
  dryRun: boolean;
}

/** An item the import adds (`before` absent) or changes. */
export interface ItemUpdate<T> {
  item: PackageItem<T>;
  before?: PackageItem<T>;
}

export interface KindOutcome {
  steps: Omit<MigrationStep, 'check'>[];
  /** Pointers start with the file's path (see `inFile`). */
  problems: Problem[];
  /** True when the problems are data that blocks a change (a publish refused), not invalid files. */
  refused?: boolean;
}

/**
 * One kind of package content, kept in its own folder of the package. A kind reads its files,
 * lists what the workspace has, writes files, describes differences and applies them. Kinds apply
 * in the order of `PACKAGE_KINDS`, so a kind may refer to the ones before it (roles to modules;
 * workflow and approval definitions, the `flows/` folder of `.bpmn` files with their settings,
 * come after both).
 */
export interface PackageKind<T = unknown> {
  /** The folder of its files, also its name in previews: `modules`, `roles`. */
  folder: string;
  /** What one item is called, for messages. */
  label: LocaleText;
  /** Parses the kind's files (every file under its folder): items, or problems pointing into the files. */
  read(files: [path: string, text: string][]): { items: PackageItem<unknown>[]; problems: Problem[] };
  /**
   * Checks a read item's shape and completes it against the workspace's item of the same id
   * (`before`); problem pointers are inside the item's file.
   */
  prepare(value: unknown, before: T | undefined): { value: T; problems: Problem[] };
  /** The items of this kind the workspace has now. */
  current(tx: Db): Promise<PackageItem<T>[]>;
  /** The files an item is written as (canonical text). */
  write(item: PackageItem<T>): PackageFiles;
  /** Readable differences; `moduleName` names a module id as it will be after the import. */
  changes(before: T, after: T, moduleName: (id: string) => string): PackageChange[];
  /** Applies (or in a dry run tries) the added and changed items inside `ctx.tx`. */
  apply(ctx: KindContext, updates: ItemUpdate<T>[]): Promise<KindOutcome>;
}
