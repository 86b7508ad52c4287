import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModuleDefinition } from '@crm/engine';

/**
 * A configuration folder: `modules/<name>.json`, one module definition per file, and an optional
 * `seed.json` with sample records. Files are written with stable key order so they diff well.
 */
export async function readModuleFiles(dir: string): Promise<unknown[]> {
  const folder = join(dir, 'modules');
  const names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(folder, name), 'utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new Error(`${join(folder, name)} is not valid JSON: ${(error as Error).message}`);
      }
    }),
  );
}

export async function writeModuleFiles(dir: string, modules: ModuleDefinition[]): Promise<string[]> {
  const folder = join(dir, 'modules');
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const module of modules) {
    const path = join(folder, `${module.name}.json`);
    await writeFile(path, `${JSON.stringify(module, null, 2)}\n`);
    written.push(path);
  }
  return written;
}

/** One sample record: `key` names it so later records can point at it with `"@key"`. */
export interface SeedRecord {
  module: string;
  key?: string;
  values: Record<string, unknown>;
}

export async function readSeedFile(dir: string): Promise<SeedRecord[]> {
  try {
    return JSON.parse(await readFile(join(dir, 'seed.json'), 'utf8')) as SeedRecord[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
