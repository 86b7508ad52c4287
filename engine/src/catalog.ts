import type { Ajv } from 'ajv';
import { sql } from 'drizzle-orm';
import {
  type CompiledField,
  type CompiledModule,
  type CompiledSubtable,
  compileModule,
} from './compile/module.ts';
import type { LocaleText, ModuleDefinition } from './definitions/types.ts';
import { notFound } from './errors.ts';
import type { FieldTypeRegistry } from './fields/registry.ts';
import { relationSettings } from './fields/relation.ts';
import { type LinkList, linkListsOf } from './records/links.ts';
import { type RollupFeed, rollupFeeds } from './rollups/feeds.ts';
import type { Db } from './storage/db.ts';
import { modules, moduleVersions } from './storage/meta-tables.ts';
import { constraintName, qualified } from './storage/naming.ts';

/** NOTIFY channel telling every server that a workspace's published modules changed. */
export const CATALOG_CHANNEL = 'crm_catalog';

/** Tells every server (this one included) to reload; delivered when the caller's transaction commits. */
export async function announcePublish(tx: Db, workspaceId: string): Promise<void> {
  await tx.run(sql`SELECT pg_notify(${CATALOG_CHANNEL}, ${workspaceId})`);
}

/**
 * The list of records of `source` pointing at a record of the target module: through a relation
 * field, or linking to it through a many-relation field.
 */
export interface InverseRelation {
  name: string;
  label: LocaleText;
  source: CompiledModule;
  field: CompiledField;
}

export interface ConstraintOwner {
  module: CompiledModule;
  field: CompiledField;
  /** Set when `field` is a field of this sub-table's rows. */
  subtable?: CompiledSubtable;
}

/**
 * The published modules of a workspace, compiled once per version and kept in memory.
 * Reloaded after each publish.
 */
export class ModuleCatalog {
  #byId = new Map<string, CompiledModule>();
  #byName = new Map<string, CompiledModule>();
  #inverses = new Map<string, InverseRelation[]>();
  #references = new Map<string, ConstraintOwner[]>();
  #constraints = new Map<string, ConstraintOwner>();
  #links = new Map<string, Map<string, LinkList>>();
  #compiled = new Map<string, CompiledModule>();
  #feeds = new Map<string, RollupFeed[]>();
  #rollups = new Map<string, RollupFeed[]>();

  constructor(
    private readonly db: Db,
    readonly workspaceId: string,
    readonly schema: string,
    private readonly registry: FieldTypeRegistry,
    private readonly ajv: Ajv,
  ) {}

  async load(): Promise<void> {
    const rows = await this.db.query<{ definition: ModuleDefinition; version: number }>(
      sql`SELECT v.definition, v.version FROM ${moduleVersions} v JOIN ${modules} m
          ON m.workspace_id = v.workspace_id AND m.id = v.module_id AND m.published_version = v.version
          WHERE v.workspace_id = ${this.workspaceId} AND NOT m.archived`,
    );
    this.#set(rows.map((r) => this.compile(r.definition, Number(r.version))));
  }

  /** Compiles a definition version (cached by id and version: a published version never changes). */
  compile(definition: ModuleDefinition, version: number): CompiledModule {
    const key = `${definition.id}@${version}`;
    let compiled = this.#compiled.get(key);
    if (!compiled) {
      compiled = compileModule(definition, version, this.registry, this.ajv);
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }

  #set(list: CompiledModule[]) {
    this.#byId = new Map(list.map((m) => [m.id, m]));
    this.#byName = new Map(list.map((m) => [m.name, m]));
    this.#inverses = new Map();
    this.#references = new Map();
    this.#constraints = new Map();
    this.#links = new Map();
    const feeds = rollupFeeds(list);
    this.#feeds = feeds.bySource;
    this.#rollups = feeds.byTarget;
    for (const module of list) {
      for (const sub of module.subtables) {
        for (const field of sub.fields) {
          for (const kind of ['uq', 'fk'] as const) {
            this.#constraints.set(constraintName(kind, sub.ownerId, field.definition.id), {
              module,
              field,
              subtable: sub,
            });
          }
          if (field.definition.type !== 'relation') continue;
          const { target } = relationSettings(field.definition);
          const owner = { module, field, subtable: sub };
          this.#references.set(target, [...(this.#references.get(target) ?? []), owner]);
        }
      }
      for (const field of module.fields) {
        for (const kind of ['uq', 'fk'] as const) {
          this.#constraints.set(constraintName(kind, module.id, field.definition.id), { module, field });
        }
        if (field.definition.type !== 'relation' && !field.linkTable) continue;
        const { target, inverse } = relationSettings(field.definition);
        if (field.definition.type === 'relation') {
          this.#references.set(target, [...(this.#references.get(target) ?? []), { module, field }]);
        }
        const targetModule = this.#byId.get(target);
        if (field.linkTable && targetModule)
          this.#addLinkLists(linkListsOf(this.schema, module, field, targetModule));
        if (!inverse) continue;
        const list = this.#inverses.get(target) ?? [];
        list.push({ name: inverse.name, label: inverse.label, source: module, field });
        this.#inverses.set(target, list);
      }
    }
  }

  #addLinkLists(links: LinkList[]) {
    for (const link of links) {
      const lists = this.#links.get(link.module.id) ?? new Map<string, LinkList>();
      lists.set(link.name, link);
      this.#links.set(link.module.id, lists);
    }
  }

  all(): CompiledModule[] {
    return [...this.#byId.values()];
  }

  byName(name: string): CompiledModule {
    const module = this.#byName.get(name);
    if (!module) throw notFound(`module '${name}'`);
    return module;
  }

  byId(id: string): CompiledModule | undefined {
    return this.#byId.get(id);
  }

  /** Lists on `moduleId`'s records made by relations pointing at it. */
  inverses(moduleId: string): InverseRelation[] {
    return this.#inverses.get(moduleId) ?? [];
  }

  /** The many-relation list `name` on `moduleId`'s records: one of its fields, or an inverse list. */
  linkList(moduleId: string, name: string): LinkList | undefined {
    return this.#links.get(moduleId)?.get(name);
  }

  /** Every many-relation list on `moduleId`'s records (its fields, then inverse lists). */
  linkLists(moduleId: string): LinkList[] {
    return [...(this.#links.get(moduleId)?.values() ?? [])];
  }

  /** The rollups that aggregate records of `moduleId` or rows of its sub-tables. */
  feeds(moduleId: string): readonly RollupFeed[] {
    return this.#feeds.get(moduleId) ?? [];
  }

  /** The rollups of module `moduleId`, with their sources. */
  rollupsOf(moduleId: string): readonly RollupFeed[] {
    return this.#rollups.get(moduleId) ?? [];
  }

  /** Every relation field pointing at `moduleId`'s records, with or without an inverse list. */
  references(moduleId: string): ConstraintOwner[] {
    return this.#references.get(moduleId) ?? [];
  }

  /** Which field a unique or foreign-key constraint belongs to. */
  constraintOwner(name: string | undefined): ConstraintOwner | undefined {
    return name ? this.#constraints.get(name) : undefined;
  }

  /** The qualified table of a published module, by id, as named now. */
  tableName(moduleId: string): string | undefined {
    const module = this.#byId.get(moduleId);
    return module ? qualified(this.schema, module.name) : undefined;
  }

  tableSql(module: CompiledModule) {
    return sql.raw(qualified(this.schema, module.name));
  }

  async reload(): Promise<void> {
    await this.load();
  }

  /** Reloads whenever any server publishes in this workspace (see `announcePublish`). */
  async follow(): Promise<() => Promise<void>> {
    return this.db.listen(CATALOG_CHANNEL, (workspaceId) => {
      if (workspaceId !== this.workspaceId) return;
      this.reload().catch((error) => console.error('reloading the published modules failed', error));
    });
  }

  /** For tests and tools: whether a module with this name is published. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }
}
