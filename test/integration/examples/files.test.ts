// The example packages are configuration only: their committed files are what the scripts write,
// and no engine, runtime or package source names one of their modules.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { exampleSeeds } from '../../../examples/scripts/generate-seed.ts';
import { EXAMPLE_PACKAGES, packageFiles } from '../../../examples/scripts/packages.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function filesUnder(dir: string, pick: (path: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist')
        found.push(...(await filesUnder(path, pick)));
    } else if (pick(path)) found.push(path);
  }
  return found;
}

describe('example package files', () => {
  it('are what scripts/build-packages.ts and scripts/generate-seed.ts write', async () => {
    const seeds = exampleSeeds();
    for (const pkg of EXAMPLE_PACKAGES) {
      const dir = join(root, 'examples', pkg.name);
      const committed = await filesUnder(dir, (path) => /\/(modules|roles)\/|crm-package\.json$/.test(path));
      const expected = packageFiles(pkg);
      expect(committed.map((path) => relative(dir, path)).sort()).toEqual(Object.keys(expected).sort());
      for (const [path, text] of Object.entries(expected))
        expect(await readFile(join(dir, path), 'utf8')).toBe(text);
      const seed = seeds[pkg.name as keyof typeof seeds].file;
      expect(await readFile(join(dir, 'seed.json'), 'utf8')).toBe(canonicalJson(seed));
    }
  });

  it('label every field, option and section in English and Chinese', () => {
    const missing: string[] = [];
    const check = (where: string, text: unknown) => {
      const labels = text as Record<string, string> | undefined;
      if (!labels?.en || !labels['zh-CN']) missing.push(where);
    };
    for (const pkg of EXAMPLE_PACKAGES) {
      for (const module of pkg.modules) {
        check(module.name, module.label);
        const fields = module.fields.flatMap((f) => [
          f,
          ...((f.fields as typeof module.fields | undefined) ?? []),
        ]);
        for (const field of fields) {
          check(`${module.name}.${field.name}`, field.label);
          if (field.help) check(`${module.name}.${field.name} help`, field.help);
          for (const option of (field.options as { value: string; label: unknown }[] | undefined) ?? []) {
            check(`${module.name}.${field.name}=${option.value}`, option.label);
          }
        }
        for (const rule of [
          ...(module.rules ?? []),
          ...fields.flatMap((f) => (f.rules as typeof module.rules) ?? []),
        ]) {
          check(`${module.name} rule ${rule.id}`, rule.message);
        }
        for (const section of module.layout?.sections ?? [])
          check(`${module.name} section ${section.id}`, section.label);
      }
      for (const role of pkg.roles) check(`role ${role.id}`, role.label);
    }
    expect(missing).toEqual([]);
  });
});

/**
 * String literals in engine, runtime and package code that are allowed to equal an example module's
 * name, with the reason.
 */
const ALLOWED: { file: string; literal: string; why: string }[] = [
  { file: 'engine/src/expressions/names.ts', literal: 'product', why: "FEEL's built-in function product()" },
  {
    file: 'engine/src/expressions/result-type.ts',
    literal: 'product',
    why: "FEEL's built-in function product(), which returns a number",
  },
];

describe('no module-specific code', () => {
  it('names no example module (by name or id) in engine, runtime, designer or package sources', async () => {
    const names = new Set(EXAMPLE_PACKAGES.flatMap((p) => p.modules.flatMap((m) => [m.name, m.id])));
    const sources = [
      ...(await filesUnder(join(root, 'engine'), isSource)),
      ...(await filesUnder(join(root, 'runtime'), isSource)),
      ...(await filesUnder(join(root, 'designer'), isSource)),
      ...(await filesUnder(join(root, 'packages'), isSource)),
    ];
    expect(sources.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const path of sources) {
      const file = relative(root, path);
      for (const literal of stringLiterals(await readFile(path, 'utf8'))) {
        const head = literal.split(/[.\s/]/)[0];
        if (!names.has(literal) && !names.has(head)) continue;
        if (ALLOWED.some((a) => a.file === file && a.literal === literal)) continue;
        found.push(`${file}: '${literal}'`);
      }
    }
    expect(found).toEqual([]);
  });
});

/** Source files that run (tests, which may well build a customer module of their own, aside). */
function isSource(path: string): boolean {
  return path.includes('/src/') && /\.(ts|tsx|js|mjs)$/.test(path) && !/\.test\.tsx?$/.test(path);
}

/** The contents of the string literals of a source file, comments left out. */
function stringLiterals(source: string): string[] {
  const literals: string[] = [];
  const pattern =
    /\/\/[^\n]*|\/\*[\s\S]*?\*\/|'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;
  for (const match of source.matchAll(pattern)) {
    const literal = match[1] ?? match[2] ?? match[3];
    if (literal !== undefined) literals.push(literal);
  }
  return literals;
}
