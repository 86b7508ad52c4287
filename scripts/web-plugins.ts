// The browser side of plugins: each web app bundles the `browser` entries of the plugins listed in
// crm.config.json (the same file `crm start` reads), through the virtual module `virtual:crm-plugins`
// its main.tsx imports. A plugin's browser entry calls `registerBrowserPlugin` from @crm/sdk/browser,
// so its widgets and cells are known before the first render, sharing the app's React.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const VIRTUAL = 'virtual:crm-plugins';
const RESOLVED = `\0${VIRTUAL}`;

/** The folder whose crm.config.json the web apps follow: CRM_CONFIG_DIR, else the repository's root. */
export function configDir(): string {
  return resolve(process.env.CRM_CONFIG_DIR ?? root);
}

/** The configured plugins' specifiers (as written in crm.config.json; none without the file). */
export function configuredPlugins(dir = configDir()): string[] {
  const file = join(dir, 'crm.config.json');
  if (!existsSync(file)) return [];
  const plugins = (JSON.parse(readFileSync(file, 'utf8')) as { plugins?: unknown }).plugins;
  return Array.isArray(plugins) ? plugins.filter((p): p is string => typeof p === 'string') : [];
}

/** The nearest package.json at or above `path`'s folder. */
function packageOf(path: string): { dir: string; exports?: Record<string, unknown> } | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return { dir, ...(JSON.parse(readFileSync(file, 'utf8')) as object) };
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The file of a plugin's browser entry: `<package>/browser` for a package name, the `./browser` export
 * of the package holding a path. Undefined for a plugin without one (it brings no widgets or cells).
 */
export function browserEntry(specifier: string, dir = configDir()): string | undefined {
  const config = join(dir, 'crm.config.json');
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const pkg = packageOf(resolve(dir, specifier));
    const entry = pkg?.exports?.['./browser'];
    return pkg && typeof entry === 'string' ? resolve(pkg.dir, entry) : undefined;
  }
  try {
    return createRequire(config).resolve(`${specifier}/browser`);
  } catch {
    return undefined;
  }
}

/** The Vite plugin serving `virtual:crm-plugins`: one import per configured plugin's browser entry. */
export function crmPlugins() {
  const entries = configuredPlugins()
    .map((specifier) => browserEntry(specifier))
    .filter((e) => e !== undefined);
  return {
    name: 'crm-plugins',
    resolveId: (id: string) => (id === VIRTUAL ? RESOLVED : undefined),
    load(id: string) {
      if (id !== RESOLVED) return undefined;
      return entries.map((entry) => `import ${JSON.stringify(entry)};`).join('\n') || 'export {};';
    },
  };
}
