// A real PostgreSQL server started from the Debian binaries, for the test run and the benchmarks.
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFERRED_MAJOR = '15';

const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  max_connections: '200',
  shared_buffers: '128MB',
  // Fewer background surprises and quieter logs in a throwaway cluster.
  autovacuum: 'off',
  max_wal_size: '1GB',
  checkpoint_timeout: '30min',
  log_min_messages: 'warning',
  log_min_error_statement: 'panic',
  // Tests create and drop many databases and tables; give locks room.
  max_locks_per_transaction: '256',
};

function findPostgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const complete = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));
  const preferred = join(base, PREFERRED_MAJOR, 'bin');
  if (complete(preferred)) return preferred;
  if (existsSync(base)) {
    const majors = readdirSync(base)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const dir = join(base, major, 'bin');
      if (complete(dir)) return dir;
    }
  }
  // Last resort: initdb on PATH (e.g. a developer machine with Homebrew).
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in /usr/lib/postgresql/*/bin. ' +
      'Run `node scripts/ensure-system-deps.mjs` (or install postgresql-15), ' +
      'or set CRM_TEST_POSTGRES_URL to an existing server.',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** System tools live in sbin, which a minimal CI PATH may lack. */
function systemTool(name: string): string {
  for (const dir of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return name;
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root. Throws with its output on failure. */
function pgRun(binDir: string, bin: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const exe = join(binDir, bin);
  const [cmd, cmdArgs] = isRoot
    ? [systemTool('runuser'), ['-u', 'postgres', '--', exe, ...args]]
    : [exe, args];
  const res = spawnSync(cmd, cmdArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (res.error) throw new Error(`${bin} failed to run: ${res.error.message}`);
  if (res.status !== 0) {
    throw new Error(
      `${bin} ${args.join(' ')} exited with ${res.status}:\n${res.stdout ?? ''}${res.stderr ?? ''}`,
    );
  }
  return String(res.stdout ?? '');
}

function ensurePostgresUser(): void {
  if (spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status === 0) return;
  const res = spawnSync(systemTool('useradd'), ['-r', '-M', '-s', '/usr/sbin/nologin', 'postgres'], {
    encoding: 'utf8',
  });
  if (res.status !== 0)
    throw new Error(`could not create the postgres system user: ${res.stderr || res.error}`);
}

function isRunning(binDir: string, dataDir: string, cwd: string): boolean {
  try {
    pgRun(binDir, 'pg_ctl', ['-D', dataDir, 'status'], { cwd });
    return true;
  } catch {
    return false;
  }
}

/** pg_ctl hands -o to /bin/sh; quote values that need it. */
function shellQuote(value: string): string {
  return /^[\w./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface Cluster {
  url: string;
  port: number;
  stop(): void;
}

/**
 * Starts a throwaway PostgreSQL cluster (initdb in a temp dir, pg_ctl on a free port); `settings`
 * override the test defaults (benchmarks turn fsync back on).
 */
export async function startCluster(settings: Record<string, string> = {}): Promise<Cluster> {
  const binDir = findPostgresBinDir();
  if (isRoot) ensurePostgresUser();

  const base = mkdtempSync(join(tmpdir(), 'crm-test-pg-'));
  const dataDir = join(base, 'data');
  const logFile = join(base, 'server.log');
  let started = false;
  let stopped = false;

  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    if (started) {
      try {
        pgRun(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], { cwd: base });
      } catch (err) {
        // fast failed (or timed out): make sure nothing is left running.
        try {
          pgRun(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop'], { cwd: base });
        } catch {
          console.error(`[postgres] could not stop the test server: ${(err as Error).message}`);
        }
      }
    }
    rmSync(base, { recursive: true, force: true });
  };
  // Covers Ctrl-C / SIGTERM too: vitest turns those into process.exit().
  process.on('exit', stop);

  try {
    if (isRoot) {
      chmodSync(base, 0o700);
      const res = spawnSync('chown', ['-R', 'postgres:', base], { encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`chown postgres ${base} failed: ${res.stderr}`);
    }
    pgRun(
      binDir,
      'initdb',
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
        '--no-instructions',
      ],
      { cwd: base },
    );

    // Another process may grab the port between probing and binding: retry with a new one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const all = { port: String(port), unix_socket_directories: base, ...SERVER_SETTINGS, ...settings };
      const opts = Object.entries(all)
        .map(([k, v]) => `-c ${k}=${shellQuote(v)}`)
        .join(' ');
      try {
        started = true;
        pgRun(binDir, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-o', opts, '-w', '-t', '60', 'start'], {
          cwd: base,
        });
      } catch (err) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        started = isRunning(binDir, dataDir, base);
        if (attempt < 3 && !started && /could not bind|Address already in use/i.test(log)) continue;
        throw new Error(`${(err as Error).message}\n--- server log ---\n${log}`);
      }
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop };
    }
  } catch (err) {
    stop();
    throw err;
  }
}
