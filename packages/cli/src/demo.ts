import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const EXAMPLES = new URL('../../../examples/', import.meta.url);

/**
 * The example packages `crm start --demo` loads, in import order (each needs only those before it),
 * as examples/demo.json lists them: definitions and sample records only.
 */
export async function demoPackages(): Promise<string[]> {
  const { packages } = JSON.parse(await readFile(new URL('demo.json', EXAMPLES), 'utf8')) as {
    packages: string[];
  };
  return packages.map((name) => fileURLToPath(new URL(name, EXAMPLES)));
}
