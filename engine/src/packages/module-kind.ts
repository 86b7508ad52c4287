import { sql } from 'drizzle-orm';
import type { DefinitionChecker } from '../definitions/check.ts';
import { assignIds } from '../definitions/ids.ts';
import type { ModuleDefinition } from '../definitions/types.ts';
import { EngineError, type Problem } from '../errors.ts';
import { findNul } from '../json-text.ts';
import type { Db } from '../storage/db.ts';
import { modules, moduleVersions } from '../storage/meta-tables.ts';
import { canonicalJson } from './canonical-json.ts';
import { inFile } from './format.ts';
import type { ItemUpdate, KindContext, KindOutcome, PackageKind } from './kinds.ts';
import { moduleChanges } from './module-diff.ts';
import { readJsonItems } from './read-json.ts';

const WHAT = { en: 'module definition', 'zh-CN': '模块定义' };

/** Modules: `modules/<name>.json`, a published definition each (fields, rules, layout, stable ids). */
export function moduleKind(workspaceId: string, checker: DefinitionChecker): PackageKind<ModuleDefinition> {
  return {
    folder: 'modules',
    label: { en: 'module', 'zh-CN': '模块' },

    read(files) {
      const { read, problems } = readJsonItems('modules', files, WHAT);
      const items = read.map(({ path, value }) => ({
        id: value.id as string,
        name: typeof value.name === 'string' ? value.name : path,
        file: path,
        value: value as unknown,
      }));
      return { items, problems };
    },

    prepare(value, before) {
      const nul = findNul(value);
      if (nul !== undefined) {
        const problem = {
          pointer: nul,
          code: 'characters',
          message: 'must not contain the NUL character (U+0000)',
        };
        return { value: value as ModuleDefinition, problems: [problem] };
      }
      // parts written without ids take those of the same-named parts already published
      const definition = assignIds(value as Record<string, unknown>, before) as unknown as ModuleDefinition;
      return { value: definition, problems: checker.shape(definition) };
    },

    async current(tx: Db) {
      const rows = await tx.query<Record<string, unknown>>(
        sql`SELECT m.id, m.name, m.published_version, m.draft IS NOT NULL AS has_draft, v.definition
            FROM ${modules} m JOIN ${moduleVersions} v
              ON v.workspace_id = m.workspace_id AND v.module_id = m.id AND v.version = m.published_version
            WHERE m.workspace_id = ${workspaceId} AND NOT m.archived ORDER BY m.name`,
      );
      return rows.map((row) => {
        const definition = (
          typeof row.definition === 'string' ? JSON.parse(row.definition) : row.definition
        ) as ModuleDefinition;
        return {
          id: String(row.id),
          name: String(row.name),
          file: `modules/${row.name}.json`,
          value: definition,
          version: Number(row.published_version),
          hasDraft: row.has_draft === true,
        };
      });
    },

    write(item) {
      return { [`modules/${item.value.name}.json`]: canonicalJson(item.value) };
    },

    changes: (before, after) => moduleChanges(before, after),

    apply: applyModules,
  };
}

/**
 * Saves the package's definitions as drafts and publishes them together: one publish plans every
 * table, column and foreign key at once, so relations between the package's modules (both ways,
 * cycles included) need no second pass.
 */
async function applyModules(ctx: KindContext, updates: ItemUpdate<ModuleDefinition>[]): Promise<KindOutcome> {
  if (updates.length === 0) return { steps: [], problems: [] };
  const problems: Problem[] = [];
  for (const { item } of updates) {
    try {
      await ctx.definitions.saveDraft(item.value);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      problems.push(...error.problems.map((p) => inFile(item.file, p)));
    }
  }
  if (problems.length > 0) return { steps: [], problems };
  const files = new Map(updates.map(({ item }) => [item.value.name, item.file]));
  // the store names problems `/modules/<name>/…`: put them in the module's file instead
  const relocate = (problem: Problem): Problem => {
    const match = /^\/modules\/([^/]+)(.*)$/.exec(problem.pointer);
    const file = match ? files.get(match[1]) : undefined;
    return file && match ? inFile(file, { ...problem, pointer: match[2] }) : problem;
  };
  const ids = updates.map(({ item }) => item.id);
  if (ctx.dryRun) {
    const preview = await ctx.definitions.preview(ids, ctx.publishOptions);
    return { steps: preview.steps, problems: preview.problems.map(relocate) };
  }
  try {
    const result = await ctx.definitions.publish(ids, ctx.actor, ctx.publishOptions);
    return { steps: result.steps, problems: [] };
  } catch (error) {
    if (!(error instanceof EngineError) || error.kind === 'not-found') throw error;
    const steps = (error.details.steps as KindOutcome['steps'] | undefined) ?? [];
    return { steps, problems: error.problems.map(relocate), refused: error.kind === 'migration-refused' };
  }
}
