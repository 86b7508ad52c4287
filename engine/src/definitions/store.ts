import { and, desc, eq, sql } from 'drizzle-orm';
import { appendOperation } from '../access/operation-log.ts';
import { announcePublish, type ModuleCatalog } from '../catalog.ts';
import { createAjv } from '../compile/ajv.ts';
import { compileModule } from '../compile/module.ts';
import { EngineError, notFound, type Problem } from '../errors.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import { findNul } from '../json-text.ts';
import type { PackageChange } from '../packages/changes.ts';
import { moduleChanges } from '../packages/module-diff.ts';
import { type Actor, SYSTEM_ACTOR } from '../records/types.ts';
import { backfillRollups } from '../rollups/backfill.ts';
import { RollupUpkeep } from '../rollups/maintain.ts';
import type { Db } from '../storage/db.ts';
import { type ExecuteOptions, executePlan, PUBLISH_LOCK } from '../storage/execute.ts';
import { archivedColumns, modules, moduleVersions } from '../storage/meta-tables.ts';
import { type MigrationPlan, type MigrationStep, planMigration } from '../storage/plan.ts';
import { ArchivedColumnStore } from './archive.ts';
import type { DefinitionChecker } from './check.ts';
import { assignIds } from './ids.ts';
import { type PlanSentence, planInWords } from './plan-words.ts';
import type { FieldDefinition, ModuleDefinition, ModuleSummary } from './types.ts';

export interface ModuleState {
  id: string;
  name: string;
  draft: ModuleDefinition | null;
  published: ModuleDefinition | null;
  publishedVersion: number | null;
  /** Problems the draft would have at publish time (empty when there is no draft). */
  draftProblems: Problem[];
}

export type PublicStep = Omit<MigrationStep, 'check' | 'conversionCheck'>;

export interface PublishPreview {
  modules: { id: string; name: string; fromVersion: number | null; toVersion: number }[];
  /** The migration plan; each type change converted into a new column carries its `conversion` counts. */
  steps: PublicStep[];
  /** Why the publish cannot go ahead: definition problems, refused changes, data that blocks a step. */
  problems: Problem[];
  /** The plan told step by step with the fields' labels, and the values conversions would lose. */
  summary: PlanSentence[];
}

export interface DefinitionDiff {
  from: number | 'draft';
  to: number | 'draft';
  before: ModuleDefinition;
  after: ModuleDefinition;
  changes: PackageChange[];
}

/** Whether a field (or a row field of a sub-table) points at module `id`. */
function referencesModule(fields: FieldDefinition[], id: string): boolean {
  return fields.some(
    (f) =>
      f.target === id || (Array.isArray(f.fields) && referencesModule(f.fields as FieldDefinition[], id)),
  );
}

export interface PublishResult extends PublishPreview {
  published: true;
}

/** How a publish treats values a type change would lose. */
export type PublishOptions = ExecuteOptions;

function publicStep({ check: _check, conversionCheck: _conversion, ...step }: MigrationStep): PublicStep {
  return step;
}

class Rollback extends Error {
  constructor(readonly preview: PublishPreview) {
    super('preview');
  }
}

/** A workspace's module definitions: one editable draft per module, immutable published versions. */
export class DefinitionStore {
  readonly #ajv = createAjv();
  readonly #upkeep: RollupUpkeep;
  /** Data of removed or converted fields, kept until an administrator purges it. */
  readonly archived: ArchivedColumnStore;

  constructor(
    private readonly db: Db,
    private readonly workspaceId: string,
    private readonly schema: string,
    private readonly registry: FieldTypeRegistry,
    private readonly checker: DefinitionChecker,
    private readonly catalog: ModuleCatalog,
  ) {
    this.#upkeep = new RollupUpkeep(catalog);
    this.archived = new ArchivedColumnStore(db, workspaceId, schema, this);
  }

  /**
   * This store working inside the caller's transaction `tx`: everything it writes commits or rolls
   * back with the caller's work, and reloading the catalog after a publish is left to the caller.
   */
  within(tx: Db): DefinitionStore {
    return new DefinitionStore(tx, this.workspaceId, this.schema, this.registry, this.checker, this.catalog);
  }

  async list(): Promise<ModuleSummary[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      sql`SELECT m.id, m.name, m.published_version, m.archived, m.draft IS NOT NULL AS has_draft,
            coalesce(m.draft, v.definition) -> 'label' AS label
          FROM ${modules} m LEFT JOIN ${moduleVersions} v
            ON v.workspace_id = m.workspace_id AND v.module_id = m.id AND v.version = m.published_version
          WHERE m.workspace_id = ${this.workspaceId} ORDER BY m.name`,
    );
    return rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      label: r.label as ModuleSummary['label'],
      publishedVersion: r.published_version === null ? null : Number(r.published_version),
      hasDraft: r.has_draft === true,
      archived: r.archived === true,
    }));
  }

  /** A module by id or name, with its draft and latest published definition. */
  async get(idOrName: string): Promise<ModuleState> {
    if (idOrName.includes('\u0000')) throw notFound(`module '${idOrName}'`);
    const [row] = await this.db.query<Record<string, unknown>>(
      sql`SELECT m.id, m.name, m.draft, m.published_version, v.definition AS published
          FROM ${modules} m LEFT JOIN ${moduleVersions} v
            ON v.workspace_id = m.workspace_id AND v.module_id = m.id AND v.version = m.published_version
          WHERE m.workspace_id = ${this.workspaceId} AND (m.id = ${idOrName} OR m.name = ${idOrName})
          ORDER BY (m.id = ${idOrName}) DESC LIMIT 1`,
    );
    if (!row) throw notFound(`module '${idOrName}'`);
    const draft = (row.draft as ModuleDefinition | null) ?? null;
    return {
      id: String(row.id),
      name: String(row.name),
      draft,
      published: (row.published as ModuleDefinition | null) ?? null,
      publishedVersion: row.published_version === null ? null : Number(row.published_version),
      draftProblems: draft ? this.#problemsOf(draft, await this.#modulesAfter([draft])) : [],
    };
  }

  /**
   * Saves a draft (creating the module when its id is new). The draft must have the right shape;
   * references between modules are checked at publish. Returns the stored draft, ids filled in.
   */
  async saveDraft(input: unknown, expectId?: string): Promise<ModuleDefinition> {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new EngineError('invalid-definition', 'a module definition must be a JSON object', [
        { pointer: '', code: 'type', message: 'must be a JSON object' },
      ]);
    }
    const nul = findNul(input);
    if (nul !== undefined) {
      throw new EngineError('invalid-definition', 'the module definition holds a NUL character', [
        { pointer: nul, code: 'characters', message: 'must not contain the NUL character (U+0000)' },
      ]);
    }
    const raw = input as Record<string, unknown>;
    const id = (raw.id as string | undefined) ?? expectId;
    if (expectId !== undefined && raw.id !== undefined && raw.id !== expectId) {
      throw new EngineError('invalid-definition', 'the id in the body differs from the module addressed', [
        { pointer: '/id', code: 'const', message: `must be '${expectId}'` },
      ]);
    }
    const existing = id !== undefined ? await this.#find(id) : undefined;
    const definition = assignIds(
      { ...raw, ...(id ? { id } : {}) },
      existing?.draft ?? existing?.published ?? undefined,
    );
    const problems = this.checker.shape(definition);
    if (problems.length > 0)
      throw new EngineError('invalid-definition', 'the module definition is not valid', problems);
    const module = definition as unknown as ModuleDefinition;
    await this.db.transaction(async (tx) => {
      const [clash] = await tx.query<{ id: string }>(
        sql`SELECT id FROM ${modules} WHERE workspace_id = ${this.workspaceId} AND name = ${module.name} AND id <> ${module.id}`,
      );
      if (clash) {
        throw new EngineError('conflict', `another module is already named '${module.name}'`, [
          { pointer: '/name', code: 'unique', message: `another module is already named '${module.name}'` },
        ]);
      }
      await tx.run(
        sql`INSERT INTO ${modules} (workspace_id, id, name, draft, draft_updated_at)
            VALUES (${this.workspaceId}, ${module.id}, ${module.name}, ${JSON.stringify(module)}::jsonb, now())
            ON CONFLICT (workspace_id, id) DO UPDATE SET draft = EXCLUDED.draft, draft_updated_at = now(),
              name = CASE WHEN ${modules.publishedVersion} IS NULL THEN EXCLUDED.name ELSE ${modules.name} END`,
      );
    });
    return module;
  }

  async discardDraft(idOrName: string): Promise<void> {
    const state = await this.get(idOrName);
    if (state.publishedVersion === null) {
      await this.db.run(
        sql`DELETE FROM ${modules} WHERE workspace_id = ${this.workspaceId} AND id = ${state.id}`,
      );
    } else {
      await this.db.run(
        sql`UPDATE ${modules} SET draft = NULL, draft_updated_at = NULL WHERE workspace_id = ${this.workspaceId} AND id = ${state.id}`,
      );
    }
  }

  async versions(
    idOrName: string,
  ): Promise<{ version: number; publishedAt: string; publishedBy: string | null }[]> {
    const state = await this.get(idOrName);
    const rows = await this.db.drizzle
      .select({
        version: moduleVersions.version,
        publishedAt: moduleVersions.publishedAt,
        publishedBy: moduleVersions.publishedBy,
      })
      .from(moduleVersions)
      .where(and(eq(moduleVersions.workspaceId, this.workspaceId), eq(moduleVersions.moduleId, state.id)))
      .orderBy(desc(moduleVersions.version));
    return rows;
  }

  async version(idOrName: string, version: number): Promise<{ definition: ModuleDefinition; plan: unknown }> {
    const state = await this.get(idOrName);
    const [row] = await this.db.drizzle
      .select({ definition: moduleVersions.definition, plan: moduleVersions.plan })
      .from(moduleVersions)
      .where(
        and(
          eq(moduleVersions.workspaceId, this.workspaceId),
          eq(moduleVersions.moduleId, state.id),
          eq(moduleVersions.version, version),
        ),
      );
    if (!row) throw notFound(`version ${version} of module '${idOrName}'`);
    return row;
  }

  /**
   * The readable differences between two definitions of a module: published versions by number, or
   * `'draft'` for the unpublished draft (fields, rules and layout sections added, removed, changed).
   */
  async diff(idOrName: string, from: number | 'draft', to: number | 'draft'): Promise<DefinitionDiff> {
    const state = await this.get(idOrName);
    const definitionOf = async (which: number | 'draft'): Promise<ModuleDefinition> => {
      if (which !== 'draft') return (await this.version(state.id, which)).definition;
      if (!state.draft) throw notFound(`a draft of module '${state.name}'`);
      return state.draft;
    };
    const before = await definitionOf(from);
    const after = await definitionOf(to);
    return { from, to, before, after, changes: moduleChanges(before, after) };
  }

  /**
   * Makes published version `version` the module's draft again, to roll back to it through the
   * normal publish (its preview shows what the roll back does to the table, and asks before losing
   * values). An unpublished draft is replaced.
   */
  async draftFromVersion(idOrName: string, version: number): Promise<ModuleState> {
    const state = await this.get(idOrName);
    const { definition } = await this.version(state.id, version);
    await this.saveDraft(definition, state.id);
    return this.get(state.id);
  }

  /**
   * Archives a module (its records leave the API and the forms; table and data stay) or brings it
   * back. Refused while another live module's relation or rollup needs it.
   */
  async setArchived(
    idOrName: string,
    archived: boolean,
    actor: Actor = SYSTEM_ACTOR,
  ): Promise<ModuleSummary> {
    const state = await this.get(idOrName);
    await this.db.transaction(async (tx) => {
      await tx.run(sql`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK}, hashtext(${this.workspaceId}))`);
      if (archived) {
        const rows = await tx.query<{ definition: ModuleDefinition }>(
          sql`SELECT v.definition FROM ${moduleVersions} v JOIN ${modules} m
              ON m.workspace_id = v.workspace_id AND m.id = v.module_id AND m.published_version = v.version
              WHERE v.workspace_id = ${this.workspaceId} AND NOT m.archived AND m.id <> ${state.id}`,
        );
        const users = rows
          .filter((r) => referencesModule(r.definition.fields, state.id))
          .map((r) => r.definition.name);
        if (users.length > 0) {
          const en = `module '${state.name}' cannot be archived: ${users.join(', ')} still refer to it; remove those fields first`;
          throw new EngineError('conflict', en, [
            {
              pointer: '',
              code: 'in-use',
              message: en,
              messages: {
                en,
                'zh-CN': `模块 ${state.name} 无法归档：${users.join('、')} 仍引用它，请先移除这些字段`,
              },
            },
          ]);
        }
      }
      await tx.run(
        sql`UPDATE ${modules} SET archived = ${archived} WHERE workspace_id = ${this.workspaceId} AND id = ${state.id}`,
      );
      await appendOperation(tx, this.schema, actor, 'publish', {
        details: { modules: [{ id: state.id, name: state.name }], archived },
      });
      await announcePublish(tx, this.workspaceId);
    });
    if (!this.db.inTransaction) await this.catalog.reload();
    const summary = (await this.list()).find((m) => m.id === state.id);
    if (!summary) throw notFound(`module '${idOrName}'`);
    return summary;
  }

  /** What publishing the drafts of `ids` (all drafts when omitted) would do, tried and rolled back. */
  async preview(ids?: string[], options: PublishOptions = {}): Promise<PublishPreview> {
    try {
      await this.#publish(ids, SYSTEM_ACTOR, true, options);
    } catch (error) {
      if (error instanceof Rollback) return error.preview;
      throw error;
    }
    throw new Error('unreachable: a preview always rolls back');
  }

  /** Publishes the drafts of `ids` (all drafts when omitted): tables change and versions are written together. */
  async publish(
    ids?: string[],
    actor: Actor = SYSTEM_ACTOR,
    options: PublishOptions = {},
  ): Promise<PublishResult> {
    const result = await this.#publish(ids, actor, false, options);
    // inside a caller's transaction the catalog would read what is not committed yet (PGlite: wait for it)
    if (!this.db.inTransaction) await this.catalog.reload();
    return { ...result, published: true };
  }

  /** Everything publishing `definition` would find wrong with it: the checks, then compiling it. */
  #problemsOf(definition: ModuleDefinition, modulesAfter: ReadonlyMap<string, ModuleDefinition>): Problem[] {
    const found = this.checker.full(definition, modulesAfter);
    if (found.length > 0) return found;
    try {
      // compiled only to find its problems (formula cycles …), and not into the catalog's cache of
      // published versions, where a different draft published under this version number would find it
      compileModule(definition, 0, this.registry, this.#ajv);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      found.push(...error.problems);
    } finally {
      this.#ajv.removeSchema(); // only checked: keep nothing (ajv would hold every validator forever)
    }
    return found;
  }

  async #find(id: string) {
    const [row] = await this.db.query<{ draft: ModuleDefinition | null; published: ModuleDefinition | null }>(
      sql`SELECT m.draft, v.definition AS published FROM ${modules} m LEFT JOIN ${moduleVersions} v
            ON v.workspace_id = m.workspace_id AND v.module_id = m.id AND v.version = m.published_version
          WHERE m.workspace_id = ${this.workspaceId} AND m.id = ${id}`,
    );
    return row;
  }

  /** Every module as it will be after publishing `drafts`: published ones overlaid with the drafts. */
  async #modulesAfter(drafts: ModuleDefinition[], db: Db = this.db): Promise<Map<string, ModuleDefinition>> {
    const rows = await db.query<{ definition: ModuleDefinition }>(
      sql`SELECT v.definition FROM ${moduleVersions} v JOIN ${modules} m
          ON m.workspace_id = v.workspace_id AND m.id = v.module_id AND m.published_version = v.version
          WHERE v.workspace_id = ${this.workspaceId}`,
    );
    const all = new Map(rows.map((r) => [r.definition.id, r.definition]));
    for (const draft of drafts) all.set(draft.id, draft);
    return all;
  }

  async #publish(
    ids: string[] | undefined,
    actor: Actor,
    dryRun: boolean,
    options: PublishOptions,
  ): Promise<PublishPreview> {
    if (ids && ids.length === 0) {
      throw new EngineError('invalid-definition', 'name at least one module to publish', [
        { pointer: '/modules', code: 'minItems', message: 'must name at least one module' },
      ]);
    }
    return this.db.transaction(async (tx) => {
      await tx.run(sql`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK}, hashtext(${this.workspaceId}))`);
      const rows = await tx.query<Record<string, unknown>>(
        sql`SELECT m.id, m.name, m.draft, m.published_version, v.definition AS published
            FROM ${modules} m LEFT JOIN ${moduleVersions} v
              ON v.workspace_id = m.workspace_id AND v.module_id = m.id AND v.version = m.published_version
            WHERE m.workspace_id = ${this.workspaceId} AND m.draft IS NOT NULL
            ${
              ids
                ? sql`AND (m.id IN (${sql.join(
                    ids.map((i) => sql`${i}`),
                    sql`, `,
                  )}) OR m.name IN (${sql.join(
                    ids.map((i) => sql`${i}`),
                    sql`, `,
                  )}))`
                : sql``
            }
            FOR UPDATE OF m`,
      );
      if (ids) {
        for (const id of ids) {
          if (!rows.some((r) => r.id === id || r.name === id)) throw notFound(`a draft of module '${id}'`);
        }
      }
      const changes = rows.map((r) => ({
        before: (r.published as ModuleDefinition | null) ?? undefined,
        after: r.draft as ModuleDefinition,
        version: (r.published_version === null ? 0 : Number(r.published_version)) + 1,
      }));
      const modulesAfter = await this.#modulesAfter(
        changes.map((c) => c.after),
        tx,
      );

      const problems: Problem[] = [];
      for (const change of changes) {
        const prefix = `/modules/${change.after.name}`;
        const found = this.#problemsOf(change.after, modulesAfter);
        problems.push(...found.map((p) => ({ ...p, pointer: prefix + p.pointer })));
      }
      // A definition problem stops before planning; refusals after it come from the data or the plan.
      const definitionsInvalid = problems.length > 0;
      const plan: MigrationPlan =
        problems.length === 0
          ? planMigration(this.schema, changes, modulesAfter, this.registry)
          : { steps: [], refusals: [], archived: [] };
      problems.push(...plan.refusals);
      const execution = problems.length === 0 ? await executePlan(tx, this.schema, plan, options) : undefined;
      if (execution) problems.push(...execution.problems);
      const steps = plan.steps.map((step) => {
        const conversion = execution?.conversions.get(step);
        return conversion ? { ...publicStep(step), conversion } : publicStep(step);
      });
      if (problems.length === 0) {
        await backfillRollups(tx, this.#upkeep, changes, modulesAfter, (definition) =>
          compileModule(definition, 0, this.registry, this.#ajv),
        );
        this.#ajv.removeSchema();
      }

      const preview: PublishPreview = {
        modules: changes.map((c) => ({
          id: c.after.id,
          name: c.after.name,
          fromVersion: c.before ? c.version - 1 : null,
          toVersion: c.version,
        })),
        steps,
        problems,
        summary: planInWords(steps, changes, this.registry),
      };
      if (dryRun) throw new Rollback(preview);
      if (definitionsInvalid) {
        throw new EngineError(
          'invalid-definition',
          'the definitions are not valid; nothing was published',
          problems,
        );
      }
      if (problems.length > 0) {
        throw new EngineError('migration-refused', 'the publish was refused; nothing was changed', problems, {
          steps: preview.steps,
        });
      }
      for (const change of changes) {
        // the version's plan is readable by every user: it keeps the counts, not the sampled values
        const moduleSteps = steps
          .filter((s) => s.module === change.after.name)
          .map((s) => (s.conversion ? { ...s, conversion: { ...s.conversion, samples: [] } } : s));
        await tx.run(
          sql`INSERT INTO ${moduleVersions} (workspace_id, module_id, version, definition, plan, published_by)
              VALUES (${this.workspaceId}, ${change.after.id}, ${change.version}, ${JSON.stringify(change.after)}::jsonb,
                      ${JSON.stringify(moduleSteps)}::jsonb, ${actor.userId})`,
        );
        await tx.run(
          sql`UPDATE ${modules} SET draft = NULL, draft_updated_at = NULL, published_version = ${change.version},
                name = ${change.after.name}
              WHERE workspace_id = ${this.workspaceId} AND id = ${change.after.id}`,
        );
      }
      for (const a of plan.archived) {
        const version = changes.find((c) => c.after.id === a.moduleId)?.version ?? 0;
        await tx.run(
          sql`INSERT INTO ${archivedColumns} (workspace_id, module_id, field_id, version, field, table_name, columns)
              VALUES (${this.workspaceId}, ${a.moduleId}, ${a.field.id}, ${version}, ${JSON.stringify(a.field)}::jsonb,
                      ${a.table}, ${sql.param(a.columns)}::text[])`,
        );
      }
      const conversions = steps.flatMap((s) =>
        s.conversion
          ? [
              {
                module: s.module,
                field: s.field,
                from: s.conversion.from,
                to: s.conversion.to,
                unconvertible: s.conversion.unconvertible,
                lossy: s.conversion.lossy,
                inRecycleBin: s.conversion.inRecycleBin,
                archivedColumn: s.conversion.archivedColumn,
              },
            ]
          : [],
      );
      await appendOperation(tx, this.schema, actor, 'publish', {
        details: {
          modules: preview.modules,
          ...(conversions.length > 0
            ? { conversions, confirmDataLoss: options.confirmDataLoss === true }
            : {}),
        },
      });
      await announcePublish(tx, this.workspaceId);
      return preview;
    });
  }
}
