import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EnginePlugin } from '@crm/engine';

/** The project's configuration file, at the folder `crm` runs in. */
export const CONFIG_FILE = 'crm.config.json';

export interface ProjectConfig {
  /** Module specifiers of plugins: paths relative to the file, or package names; in hook order. */
  plugins: string[];
}

export interface LoadedPlugins {
  plugins: EnginePlugin[];
  /** Plugins that could not be loaded: the server starts without them. */
  problems: string[];
}

/** Reads `crm.config.json` in `dir` (none: no plugins). A file that is not valid is an error. */
export async function readProjectConfig(dir: string): Promise<ProjectConfig> {
  let text: string;
  try {
    text = await readFile(resolve(dir, CONFIG_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { plugins: [] };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${CONFIG_FILE}: not valid JSON (${(error as Error).message})`);
  }
  const plugins = (parsed as { plugins?: unknown } | null)?.plugins ?? [];
  if (!Array.isArray(plugins) || plugins.some((p) => typeof p !== 'string' || p === '')) {
    throw new Error(`${CONFIG_FILE}: "plugins" must be a list of module paths or package names`);
  }
  return { plugins };
}

/**
 * Imports each configured plugin (its default export, or `plugin`). One that fails to load or is
 * not a plugin is left out and reported, so a broken plugin never keeps the server from starting.
 */
export async function loadPlugins(dir: string, config: ProjectConfig): Promise<LoadedPlugins> {
  const plugins: EnginePlugin[] = [];
  const problems: string[] = [];
  const require = createRequire(resolve(dir, CONFIG_FILE));
  for (const specifier of config.plugins) {
    try {
      const path =
        specifier.startsWith('.') || isAbsolute(specifier)
          ? resolve(dirname(resolve(dir, CONFIG_FILE)), specifier)
          : require.resolve(specifier);
      const loaded = (await import(pathToFileURL(path).href)) as { default?: unknown; plugin?: unknown };
      const plugin = (loaded.default ?? loaded.plugin) as EnginePlugin | undefined;
      if (!plugin || typeof plugin.name !== 'string' || typeof plugin.version !== 'string') {
        throw new Error('it exports no plugin (export default definePlugin({ … }))');
      }
      if (plugins.some((p) => p.name === plugin.name))
        throw new Error(`a plugin named '${plugin.name}' is already loaded`);
      plugins.push(plugin);
    } catch (error) {
      problems.push(`plugin ${specifier}: ${(error as Error).message}`);
    }
  }
  return { plugins, problems };
}
