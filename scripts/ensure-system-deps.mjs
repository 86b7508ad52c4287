#!/usr/bin/env node
// Makes sure the system packages the test suite needs are present:
//   - PostgreSQL 15 server binaries (initdb, pg_ctl, postgres) — always;
//   - Chromium at /usr/bin/chromium (the browser tests) — unless --no-chromium;
//   - the Noto CJK fonts, so that screenshots of the zh-CN pages show Chinese — optional: a machine without
//     them (or without apt) only gets a warning, the tests pass either way.
// Installs missing ones with apt-get (as root, or through `sudo -n`), and exits non-zero with a clear message
// when it cannot. Fast and silent-ish when everything is already there.
//
// Usage: node scripts/ensure-system-deps.mjs [--no-chromium] [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const wantChromium = !args.has('--no-chromium');

for (const arg of args) {
  if (!['--chromium', '--no-chromium', '--quiet'].includes(arg)) {
    console.error(`ensure-system-deps: unknown argument ${arg}`);
    process.exit(2);
  }
}

const log = (msg) => {
  if (!quiet) console.log(`ensure-system-deps: ${msg}`);
};

/** Directories that hold a complete PostgreSQL server install, newest major first. */
function findPostgresBinDirs() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(base, v, 'bin'))
    .filter((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b))));
}

function hasPostgres15() {
  return findPostgresBinDirs().includes('/usr/lib/postgresql/15/bin');
}

function hasChromium() {
  return existsSync('/usr/bin/chromium');
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** How to run apt-get with root rights here, or null with a reason. */
function privilegePrefix() {
  if (process.platform !== 'linux') return { error: `unsupported platform ${process.platform}` };
  if (!commandExists('apt-get')) return { error: 'apt-get is not available (not a Debian/Ubuntu system)' };
  if (typeof process.getuid === 'function' && process.getuid() === 0) return { prefix: [] };
  if (commandExists('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) {
    return { prefix: ['sudo', '-n', '--preserve-env=DEBIAN_FRONTEND'] };
  }
  return { error: 'not running as root and passwordless `sudo -n` is not available' };
}

let aptUpdated = false;

function run(prefix, cmd, cmdArgs) {
  const [bin, ...rest] = [...prefix, cmd, ...cmdArgs];
  log(`$ ${[bin, ...rest].join(' ')}`);
  const res = spawnSync(bin, rest, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (res.error) return false;
  return res.status === 0;
}

function aptCandidateExists(pkg) {
  const res = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' });
  return res.status === 0 && /Candidate:\s+(?!\(none\))\S+/.test(res.stdout);
}

/**
 * Installs the first of `candidates` that apt knows about. Returns true on success; on failure reports through
 * `onFailure` (by default a failure of the whole script).
 */
function aptInstall(what, candidates, manualHint, onFailure = fail) {
  const priv = privilegePrefix();
  if (priv.error) {
    onFailure(what, priv.error, manualHint);
    return false;
  }
  if (!aptUpdated) {
    if (!run(priv.prefix, 'apt-get', ['update'])) {
      onFailure(what, 'apt-get update failed', manualHint);
      return false;
    }
    aptUpdated = true;
  }
  const pkg = candidates.find(aptCandidateExists) ?? candidates[0];
  const ok = run(priv.prefix, 'apt-get', [
    'install',
    '-y',
    '--no-install-recommends',
    '-o',
    'Dpkg::Options::=--force-confdef',
    '-o',
    'Dpkg::Options::=--force-confold',
    pkg,
  ]);
  if (!ok) onFailure(what, `apt-get install ${pkg} failed`, manualHint);
  return ok;
}

let failed = false;
function fail(what, reason, manualHint) {
  failed = true;
  console.error(`ensure-system-deps: cannot provide ${what}: ${reason}.`);
  console.error(`  Install it yourself, e.g.: ${manualHint}`);
}

function warn(what, reason, manualHint) {
  console.warn(
    `ensure-system-deps: warning: no ${what}: ${reason}; screenshots will show boxes for Chinese.`,
  );
  console.warn(`  To get them: ${manualHint}`);
}

/** fontconfig knows a CJK font (fc-list ships with Chromium's fontconfig dependency). */
function hasCjkFont() {
  const res = spawnSync('fc-list', [':lang=zh-cn', 'family'], { encoding: 'utf8' });
  if (res.status === 0) return res.stdout.trim() !== '';
  return existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
}

const started = Date.now();

if (hasPostgres15()) {
  log(`PostgreSQL 15 found in /usr/lib/postgresql/15/bin`);
} else {
  log('PostgreSQL 15 server binaries not found, installing…');
  if (aptInstall('PostgreSQL 15', ['postgresql-15', 'postgresql'], 'sudo apt-get install postgresql-15')) {
    if (!hasPostgres15()) {
      const found = findPostgresBinDirs();
      if (found.length > 0) {
        // `postgresql` on a newer distribution brings a newer major; the test setup can use it, but say so.
        log(`PostgreSQL 15 is not available; installed server binaries are in ${found[0]}`);
      } else {
        fail(
          'PostgreSQL 15',
          'the package installed but initdb/pg_ctl/postgres are still missing under /usr/lib/postgresql/*/bin',
          'sudo apt-get install postgresql-15',
        );
      }
    }
  }
}

if (wantChromium) {
  if (hasChromium()) {
    log('Chromium found at /usr/bin/chromium');
  } else {
    log('Chromium not found, installing…');
    if (aptInstall('Chromium', ['chromium'], 'sudo apt-get install chromium') && !hasChromium()) {
      fail(
        'Chromium',
        'the package installed but /usr/bin/chromium is missing',
        'sudo apt-get install chromium',
      );
    }
  }
}

if (wantChromium) {
  if (hasCjkFont()) {
    log('a CJK font is installed');
  } else {
    log('no CJK font found, installing fonts-noto-cjk (optional)…');
    aptInstall('CJK fonts', ['fonts-noto-cjk'], 'sudo apt-get install fonts-noto-cjk', warn);
  }
}

if (failed) process.exit(1);
log(`ok (${Date.now() - started} ms)`);
