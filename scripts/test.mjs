#!/usr/bin/env node
// The whole test suite, as `pnpm test` runs it:
//   1. system dependencies (PostgreSQL 15, Chromium)          node scripts/ensure-system-deps.mjs
//   2. format + lint                                          biome check .
//   3. type check                                             tsc -p tsconfig.json --noEmit
//   4. tests                                                  vitest run [extra args]
// Stops at the first failing step with its exit code. Extra arguments go to vitest:
//   pnpm test -- engine/src/fields        pnpm test -- -t 'formula'
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

// pnpm passes a literal `--` through when called as `pnpm test -- args`.
const extra = process.argv.slice(2);
if (extra[0] === '--') extra.shift();

const steps = [
  { name: 'system deps', cmd: process.execPath, args: [join(root, 'scripts', 'ensure-system-deps.mjs')] },
  { name: 'biome check', cmd: bin('biome'), args: ['check', '.'] },
  { name: 'tsc', cmd: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit'] },
  { name: 'vitest', cmd: bin('vitest'), args: ['run', ...extra] },
];

function run(step) {
  return new Promise((resolve) => {
    if (step.cmd !== process.execPath && !existsSync(step.cmd)) {
      console.error(`${step.cmd} not found: run \`npx -y pnpm@10.34.9 install\` first.`);
      resolve(127);
      return;
    }
    const child = spawn(step.cmd, step.args, { cwd: root, stdio: 'inherit', env: process.env });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      console.error(`${step.name}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1));
    });
  });
}

const fmt = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
const timings = [];
const t0 = performance.now();

for (const step of steps) {
  const shown = [step.cmd === process.execPath ? 'node' : step.name.split(' ')[0], ...step.args]
    .map((a) => a.replace(`${root}/`, ''))
    .join(' ');
  console.log(`\n▶ ${step.name}: ${shown}`);
  const start = performance.now();
  const code = await run(step);
  const took = performance.now() - start;
  timings.push(`${step.name} ${fmt(took)}`);
  if (code !== 0) {
    console.error(`\n✖ ${step.name} failed (exit ${code}) after ${fmt(took)}`);
    console.error(`  ${timings.join(' · ')}`);
    process.exit(code);
  }
  console.log(`✔ ${step.name} (${fmt(took)})`);
}

console.log(`\n✔ all passed in ${fmt(performance.now() - t0)}: ${timings.join(' · ')}`);
