import { spawn } from 'node:child_process';
import { Engine, openPostgres } from '@crm/engine';
import { httpClient } from '../test/bench/http-client.ts';
import { BENCH_MODULE, benchRecord } from '../test/bench/module.ts';
import { runConcurrent } from '../test/bench/stats.ts';
import { startCluster } from '../test/support/postgres-server.ts';

const cluster = await startCluster({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
const engine = await Engine.open({ db: await openPostgres(cluster.url) });
const ws = await engine.workspace();
await ws.definitions.saveDraft(BENCH_MODULE);
await ws.definitions.publish();
await engine.close();
const child = spawn(
  process.execPath,
  ['--cpu-prof', '--cpu-prof-dir=/tmp/srvprof', '../packages/cli/bin/crm.mjs', 'start'],
  { env: { ...process.env, DATABASE_URL: cluster.url, PORT: '38124', HOST: '127.0.0.1' }, stdio: 'inherit' },
);
const url = 'http://127.0.0.1:38124';
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(url + '/api/health')).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 100));
}
const http = httpClient(url, 16);
const f = (i: number) => http('POST', '/api/modules/deal/records', benchRecord(i));
await runConcurrent(500, 16, f);
const r1 = await runConcurrent(500, 1, f);
console.log('c1', r1.perSecond.toFixed(0), r1.p50.toFixed(2));
const r = await runConcurrent(6000, 16, f);
console.log('c16', r.perSecond.toFixed(0));
const h = await runConcurrent(500, 1, () => http('GET', '/api/health'));
console.log('health c1', h.perSecond.toFixed(0), h.p50.toFixed(2));
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
cluster.stop();
process.exit(0);
