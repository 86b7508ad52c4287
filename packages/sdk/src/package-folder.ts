import { fileURLToPath } from 'node:url';
import { type PackageFiles, readPackageFolder } from '@crm/engine';

/**
 * The `definitions` of a plugin shipped as an app package folder, read when the plugin installs:
 * `definitions: packageFolder(new URL('../app', import.meta.url))`.
 */
export function packageFolder(folder: URL | string): () => Promise<PackageFiles> {
  const dir = folder instanceof URL ? fileURLToPath(folder) : folder;
  return () => readPackageFolder(dir);
}
