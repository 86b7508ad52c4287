// Builds the browser apps (the runtime app, and the designer once it has a Vite config) when their
// `dist` is missing or older than their sources. `pnpm start` runs it before the server, the browser
// tests' global setup before the first test.
//
// Usage: tsx scripts/build-web.ts [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserEntry, configDir, configuredPlugins } from './web-plugins.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The app folders (each with a vite.config.ts and an index.html); designer's appears with its own work. */
const APPS = ['runtime/web', 'designer'];
/** Where each app's build records the plugin browser entries it bundled (outside dist: not served). */
const BUNDLED_DIR = join(root, 'node_modules', '.cache', 'crm-web');
const bundledFile = (app: string) => join(BUNDLED_DIR, `${app.replace(/\//g, '-')}.json`);

/** The browser entries of the configured plugins (crm.config.json): what a build bundles. */
function pluginEntries(): string[] {
  return configuredPlugins()
    .map((specifier) => browserEntry(specifier))
    .filter((entry) => entry !== undefined);
}

function bundledPlugins(app: string): string {
  return existsSync(bundledFile(app)) ? readFileSync(bundledFile(app), 'utf8') : '[]';
}

/** Source folders every app bundles besides its own. */
const SHARED_SOURCES = ['packages/ui/src', 'engine/src'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** The apps whose build is missing or older than any of their sources. */
export function staleWebApps(): string[] {
  return APPS.filter((app) => existsSync(join(root, app, 'vite.config.ts'))).filter((app) => {
    const built = join(root, app, 'dist', 'index.html');
    if (!existsSync(built)) return true;
    const plugins = pluginEntries();
    // a build with other plugins than the configuration lists now is stale too
    if (bundledPlugins(app) !== JSON.stringify(plugins)) return true;
    const sources = [
      join(root, app, 'src'),
      join(root, app, 'index.html'),
      join(root, app, 'vite.config.ts'),
      ...SHARED_SOURCES.map((s) => join(root, s)),
      ...plugins.map((entry) => dirname(entry)),
    ];
    return Math.max(...sources.map(newestMtime)) > statSync(built).mtimeMs;
  });
}

/** Builds the stale apps (every app with `force`); throws when a build fails. */
export function buildWebApps({ force = false, quiet = false } = {}): string[] {
  const apps = force ? APPS.filter((app) => existsSync(join(root, app, 'vite.config.ts'))) : staleWebApps();
  const vite = join(root, 'runtime', 'web', 'node_modules', '.bin', 'vite');
  for (const app of apps) {
    if (!quiet) console.log(`build-web: vite build ${relative(root, join(root, app))}`);
    const result = spawnSync(vite, ['build', '--logLevel', quiet ? 'error' : 'warn'], {
      cwd: join(root, app),
      stdio: 'inherit',
      // the bundle users get, whoever builds it: under vitest NODE_ENV is 'test', which vite would bake into
      // the bundle (React's development build, and rc-util's fixed 'test-id' for every generated element id)
      env: { ...process.env, NODE_ENV: 'production', CRM_CONFIG_DIR: configDir() },
    });
    if (result.status !== 0) throw new Error(`vite build of ${app} failed (exit ${result.status})`);
    mkdirSync(BUNDLED_DIR, { recursive: true });
    writeFileSync(bundledFile(app), JSON.stringify(pluginEntries()));
  }
  return apps;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = buildWebApps({ force: process.argv.includes('--force') });
  if (built.length === 0) console.log('build-web: the web apps are up to date');
}
