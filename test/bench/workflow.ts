// Benchmark of the workflow engine on real PostgreSQL (fsync on), against bpmn-engine running the same
// diagram in memory (no persistence) in the same run.
// Run: npx tsx test/bench/workflow.ts  (env BENCH_STARTS=3000 BENCH_ROUNDS=3 to change the sizes)
//
// 1. Durable instances per second from start to the first user task (instance, token, task and history
//    written and committed), at 1 and 16 concurrent starters, vs bpmn-engine reaching the same user task.
// 2. User tasks completed per second at 16 concurrent completers (each completion ends its instance).
import { EventEmitter } from 'node:events';
import { type Actor, Engine, openPostgres } from '@crm/engine';
import { Engine as BpmnEngine } from 'bpmn-engine';
import postgres from 'postgres';
import { startCluster } from '../support/postgres-server.ts';
import { fmt, median, runConcurrent } from './stats.ts';

const STARTS = Number(process.env.BENCH_STARTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USER = '00000000-0000-7000-8000-0000000000be';
const actor: Actor = { userId: USER, via: 'token' };

const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench_defs" targetNamespace="http://crm.bench">
  <bpmn:process id="discount_approval" isExecutable="true">
    <bpmn:startEvent id="submitted"/>
    <bpmn:sequenceFlow id="f1" sourceRef="submitted" targetRef="check"/>
    <bpmn:exclusiveGateway id="check" default="f3"/>
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="rejected"><bpmn:conditionExpression>=amount &lt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="check" targetRef="approve"/>
    <bpmn:userTask id="approve" name="Approve the discount">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateUsers="=[approver]"/></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f4" sourceRef="approve" targetRef="done"/>
    <bpmn:endEvent id="done"/>
    <bpmn:endEvent id="rejected"/>
  </bpmn:process>
</bpmn:definitions>`;

// bpmn-engine reads no FEEL: its copy of the diagram states the same condition in its own expression
// language (a FEEL text there is a truthy string, which sent every run to `rejected`: no wait, a hang).
const BPMN_ENGINE_DIAGRAM = DIAGRAM.replace(
  '=amount &lt; 0',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bpmn-engine's own expression syntax
  '${environment.services.isNegative(environment.variables.amount)}',
);
const bpmnEngineServices = { isNegative: (value: number) => value < 0 };

interface ModdleLoader {
  _getModdleContext(source: string): Promise<unknown>;
}

/** bpmn-engine from a pre-parsed moddle context (its fastest path) to the user task's wait. */
async function bpmnEngineStarter(): Promise<() => Promise<void>> {
  const moddleContext = await (
    new BpmnEngine({ name: 'parse', source: BPMN_ENGINE_DIAGRAM }) as unknown as ModdleLoader
  )._getModdleContext(BPMN_ENGINE_DIAGRAM);
  return async () => {
    const engine = new BpmnEngine({ name: 'bench', moddleContext: moddleContext as never });
    const listener = new EventEmitter();
    const waiting = new Promise((resolve, reject) => {
      listener.once('wait', resolve);
      engine.once('error', reject);
      engine.once('end', () => reject(new Error('bpmn-engine ended without reaching the user task')));
    });
    await engine.execute({
      variables: { amount: 10, approver: USER },
      services: bpmnEngineServices,
      listener,
    });
    await waiting;
    await engine.stop();
  };
}

async function main() {
  console.log('Starting PostgreSQL (fsync on, as in production)…');
  const cluster = await startCluster({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE bench');
  await admin.end();
  const engine = await Engine.open({
    db: await openPostgres(cluster.url.replace(/\/postgres$/, '/bench'), { max: 20 }),
  });
  try {
    const workspace = await engine.workspace('default');
    const wf = workspace.workflows;
    await wf.deploy(DIAGRAM, actor);
    console.log('Deployed.');
    const start = () => wf.start('discount_approval', { variables: { amount: 10, approver: USER } }, actor);
    const memory = await bpmnEngineStarter();

    // warm-up: JIT, prepared plans, connections
    console.log('Warming up…');
    await runConcurrent(200, 16, () => start());
    await runConcurrent(200, 16, () => memory());

    const rates: Record<string, number[]> = { ours1: [], ours16: [], theirs1: [], theirs16: [] };
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`Round ${round + 1} of ${ROUNDS}…`);
      rates.theirs1?.push((await runConcurrent(STARTS / 4, 1, () => memory())).perSecond);
      rates.ours1?.push((await runConcurrent(STARTS / 4, 1, () => start())).perSecond);
      rates.theirs16?.push((await runConcurrent(STARTS, 16, () => memory())).perSecond);
      rates.ours16?.push((await runConcurrent(STARTS, 16, () => start())).perSecond);
    }
    const ours1 = median(rates.ours1 ?? []);
    const ours16 = median(rates.ours16 ?? []);
    const theirs1 = median(rates.theirs1 ?? []);
    const theirs16 = median(rates.theirs16 ?? []);
    console.log(
      `\nStart to the first user task (median of ${ROUNDS} rounds, ${STARTS} starts at 16, ${STARTS / 4} at 1):`,
    );
    console.log(
      `  concurrency  1: ${fmt(ours1, 0)} durable/s vs bpmn-engine in memory ${fmt(theirs1, 0)}/s = ${fmt(ours1 / theirs1, 2)}x`,
    );
    console.log(
      `  concurrency 16: ${fmt(ours16, 0)} durable/s vs bpmn-engine in memory ${fmt(theirs16, 0)}/s = ${fmt(ours16 / theirs16, 2)}x (target 2.5x)`,
    );

    const sample = (await wf.queries.tasksFor(USER)).map((task) => task.id);
    const completed = await runConcurrent(sample.length, 16, (i) =>
      wf.completeTask(sample[i] as string, { ok: true }, actor),
    );
    console.log(
      `\nUser tasks completed (each ends its instance), 16 concurrent: ${fmt(completed.perSecond, 0)}/s, p50 ${fmt(completed.p50)} ms, p95 ${fmt(completed.p95)} ms (${sample.length} tasks)`,
    );
  } finally {
    await engine.close();
    cluster.stop();
  }
}

// stop the PostgreSQL cluster (an exit handler) when interrupted too
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
