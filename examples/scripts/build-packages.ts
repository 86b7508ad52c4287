// Writes the example packages' definition files (crm-package.json, modules/, roles/) from the
// definitions in scripts/definitions/. Run: npx tsx examples/scripts/build-packages.ts
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXAMPLE_PACKAGES, packageFiles } from './packages.ts';

const examples = fileURLToPath(new URL('..', import.meta.url));

for (const pkg of EXAMPLE_PACKAGES) {
  const dir = join(examples, pkg.name);
  await rm(join(dir, 'modules'), { recursive: true, force: true });
  await rm(join(dir, 'roles'), { recursive: true, force: true });
  for (const [path, text] of Object.entries(packageFiles(pkg))) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  console.log(`examples/${pkg.name}: ${pkg.modules.length} modules, ${pkg.roles.length} roles`);
}
