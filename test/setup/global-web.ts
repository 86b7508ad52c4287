// Vitest global setup of the browser tests: Chromium at /usr/bin/chromium (installed with apt-get when
// missing) and an up-to-date build of the web apps (vite build when dist is missing or older than sources).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildWebApps } from '../../scripts/build-web.ts';

export default function setup(): void {
  const root = join(import.meta.dirname, '..', '..');
  const deps = spawnSync(process.execPath, [join(root, 'scripts', 'ensure-system-deps.mjs'), '--quiet'], {
    stdio: 'inherit',
  });
  if (deps.status !== 0) throw new Error('Chromium is missing and could not be installed (see above)');
  // the build bundles the browser entries of the plugins browser tests load (the USCC example's widget)
  process.env.CRM_CONFIG_DIR = join(root, 'test', 'fixtures', 'web-plugins');
  const t0 = performance.now();
  const built = buildWebApps({ quiet: true });
  if (built.length > 0)
    console.log(`[web] built ${built.join(', ')} in ${Math.round(performance.now() - t0)} ms`);
}
