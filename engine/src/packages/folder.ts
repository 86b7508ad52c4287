import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type PackageFiles } from './format.ts';

/**
 * A package folder as the engine takes it: `crm-package.json` and every file under the folders
 * (hidden ones, such as `.git`, left out). Other files at the root (README.md, seed.json) are not
 * configuration and are not read.
 */
export async function readPackageFolder(dir: string): Promise<PackageFiles> {
  const files: PackageFiles = {};
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) await readTree(dir, entry.name, files);
    else if (entry.name === MANIFEST_FILE) files[entry.name] = await readFile(join(dir, entry.name), 'utf8');
  }
  return files;
}

async function readTree(root: string, folder: string, files: PackageFiles): Promise<void> {
  const entries = await readdir(join(root, folder), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) await readTree(root, path, files);
    else files[path] = await readFile(join(root, path), 'utf8');
  }
}
