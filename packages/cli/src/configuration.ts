import { EngineError, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { readModuleFiles, readSeedFile, writeModuleFiles } from './definition-files.ts';

export interface ImportResult {
  modules: string[];
  steps: number;
  records: number;
}

/** Saves every module of a configuration folder as a draft and publishes them together. */
export async function importConfiguration(
  workspace: Workspace,
  dir: string,
  options: { seed?: boolean } = {},
): Promise<ImportResult> {
  const definitions = await readModuleFiles(dir);
  const saved = [];
  for (const definition of definitions) saved.push(await workspace.definitions.saveDraft(definition));
  const ids = saved.map((d) => d.id);
  const result = await workspace.definitions.publish(ids);
  const records = options.seed ? await seedRecords(workspace, dir) : 0;
  return { modules: saved.map((d) => d.name), steps: result.steps.length, records };
}

/** Creates the sample records of `seed.json` in order; `"@key"` values become the id of that record. */
async function seedRecords(workspace: Workspace, dir: string): Promise<number> {
  const ids = new Map<string, string>();
  const resolve = (value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith('@')) {
      const id = ids.get(value.slice(1));
      if (!id) throw new Error(`seed.json refers to '${value}' before it is defined`);
      return id;
    }
    return value;
  };
  let count = 0;
  for (const seed of await readSeedFile(dir)) {
    const values = Object.fromEntries(Object.entries(seed.values).map(([k, v]) => [k, resolve(v)]));
    const record = await workspace.records.create(seed.module, values, SYSTEM_ACTOR);
    if (seed.key) ids.set(seed.key, record.id);
    count++;
  }
  return count;
}

/** Writes every published module of the workspace to `dir/modules/<name>.json`. */
export async function exportConfiguration(workspace: Workspace, dir: string): Promise<string[]> {
  const modules = workspace.catalog
    .all()
    .map((m) => m.definition)
    .sort((a, b) => a.name.localeCompare(b.name));
  return writeModuleFiles(dir, modules);
}

/** A readable account of an engine error for the terminal. */
export function describeError(error: unknown): string {
  if (error instanceof EngineError) {
    return [error.message, ...error.problems.map((p) => `  ${p.pointer || '/'}: ${p.message}`)].join('\n');
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
