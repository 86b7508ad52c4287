import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type PackageFiles, readPackageFolder } from '@crm/engine';
import { type SeedFile, seedFileOf } from './seed.ts';

export { readPackageFolder };

/**
 * Writes package files into `dir`, and removes the files an earlier export left in the folders of
 * `kinds` that this package no longer has (a renamed module's old file), so the folder holds
 * exactly the package. Nothing else in `dir` is touched.
 */
export async function writePackageFolder(
  dir: string,
  files: PackageFiles,
  kinds: string[],
): Promise<string[]> {
  for (const kind of kinds) {
    let names: string[];
    try {
      names = await readdir(join(dir, kind));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const name of names) {
      // package files only (modules/roles JSON, flows BPMN): anything else a user keeps there stays
      if (/\.(json|bpmn)$/.test(name) && !(`${kind}/${name}` in files)) await rm(join(dir, kind, name));
    }
  }
  const written: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
    written.push(target);
  }
  return written;
}

/** The package's `seed.json` (none: no records). */
export async function readSeedFile(dir: string): Promise<SeedFile> {
  try {
    return seedFileOf(JSON.parse(await readFile(join(dir, 'seed.json'), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [] };
    throw error;
  }
}
