// Benchmark of approval votes on real PostgreSQL (fsync on): a countersign (会签) step with 16 approvers,
// all 16 voting at once through the approval service (each vote: the instance's lock, the step's slots,
// the action row, the task, the outcome when it is the last), against the raw user task completion of the
// same shape in the same run: a parallel multi-instance user task with 16 assignees, completed at once.
// Run: npx tsx test/bench/approvals.ts  (env BENCH_APPROVAL_INSTANCES=30 BENCH_ROUNDS=3 change the sizes;
// a smoke run: BENCH_APPROVAL_INSTANCES=2 BENCH_ROUNDS=1)
import { type Actor, Engine, openPostgres, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import postgres from 'postgres';
import { startCluster } from '../support/postgres-server.ts';
import { fmt, median, runConcurrent } from './stats.ts';

const INSTANCES = Number(process.env.BENCH_APPROVAL_INSTANCES ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const APPROVERS = 16;
const NAMES = Array.from({ length: APPROVERS }, (_, i) => `bench_approver_${i + 1}`);

const definitions = (process: string, task: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:crm="https://crm-builder.dev/schema/bpmn/1.0"
  id="${process}_defs" targetNamespace="http://crm.bench">
  <bpmn:process id="${process}" isExecutable="true">
    <bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="vote"/>
    ${task}
    <bpmn:sequenceFlow id="f2" sourceRef="vote" targetRef="e"/><bpmn:endEvent id="e"/>
  </bpmn:process>
</bpmn:definitions>`;

const COUNTERSIGN = definitions(
  'bench_countersign',
  `<bpmn:userTask id="vote" name="Countersign"><bpmn:extensionElements><crm:approval mode="all">
     <crm:approvers source="users" value="=[${NAMES.map((n) => `&quot;${n}&quot;`).join(', ')}]"/>
   </crm:approval></bpmn:extensionElements></bpmn:userTask>`,
);

const RAW = definitions(
  'bench_raw_tasks',
  `<bpmn:userTask id="vote" name="Sign">
     <bpmn:extensionElements><zeebe:assignmentDefinition assignee="=approver"/></bpmn:extensionElements>
     <bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:extensionElements>
       <zeebe:loopCharacteristics inputCollection="=approvers" inputElement="approver"/>
     </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
   </bpmn:userTask>`,
);

async function openTasks(workspace: Workspace, instanceId: string) {
  const tasks = (await workspace.workflows.queries.instance(instanceId)).tasks.filter(
    (t) => t.state === 'open',
  );
  if (tasks.length !== APPROVERS) throw new Error(`expected ${APPROVERS} open tasks, found ${tasks.length}`);
  return tasks.map((task) => ({ id: task.id, actor: { userId: task.assignee, via: 'token' } as Actor }));
}

/** Votes per second over `instances` runs of 16 simultaneous decisions on one instance each. */
async function votesPerSecond(
  instances: number,
  start: () => Promise<string>,
  open: (instanceId: string) => Promise<{ id: string; actor: Actor }[]>,
  decide: (taskId: string, actor: Actor) => Promise<unknown>,
  finished: (instanceId: string) => Promise<boolean>,
): Promise<number> {
  let wall = 0;
  for (let i = 0; i < instances; i++) {
    const instanceId = await start();
    const tasks = await open(instanceId);
    const run = await runConcurrent(tasks.length, APPROVERS, (n) => {
      const task = tasks[n] as { id: string; actor: Actor };
      return decide(task.id, task.actor);
    });
    wall += run.wall;
    if (!(await finished(instanceId))) throw new Error(`instance ${instanceId} did not complete`);
  }
  return ((instances * APPROVERS) / wall) * 1000;
}

async function main() {
  console.log('Starting PostgreSQL (fsync on, as in production)…');
  const cluster = await startCluster({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin.unsafe('CREATE DATABASE bench_approvals');
  await admin.end();
  const engine = await Engine.open({
    db: await openPostgres(cluster.url.replace(/\/postgres$/, '/bench_approvals'), { max: 20 }),
  });
  try {
    const workspace = await engine.workspace('default');
    const users: { id: string }[] = [];
    for (const username of NAMES)
      users.push(await workspace.identity.users.create({ username, displayName: username }));
    const submitter: Actor = { userId: users[0]?.id ?? null, via: 'token' };
    await workspace.workflows.deploy(COUNTERSIGN, SYSTEM_ACTOR);
    await workspace.workflows.deploy(RAW, SYSTEM_ACTOR);
    const finished = async (id: string) =>
      (await workspace.workflows.queries.instance(id)).state === 'completed';
    const approvals = (instances: number) =>
      votesPerSecond(
        instances,
        async () => (await workspace.workflows.start('bench_countersign', {}, submitter)).id,
        (id) => openTasks(workspace, id),
        (taskId, actor) => workspace.approvals.act(taskId, 'approve', {}, actor),
        finished,
      );
    const raw = (instances: number) =>
      votesPerSecond(
        instances,
        async () =>
          (
            await workspace.workflows.start(
              'bench_raw_tasks',
              { variables: { approvers: users.map((u) => u.id) } },
              submitter,
            )
          ).id,
        (id) => openTasks(workspace, id),
        (taskId, actor) => workspace.workflows.completeTask(taskId, {}, actor),
        finished,
      );

    console.log('Warming up…');
    await approvals(Math.min(3, INSTANCES));
    await raw(Math.min(3, INSTANCES));
    const rates = { approvals: [] as number[], raw: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`Round ${round + 1} of ${ROUNDS}…`);
      rates.raw.push(await raw(INSTANCES));
      rates.approvals.push(await approvals(INSTANCES));
    }
    const ours = median(rates.approvals);
    const base = median(rates.raw);
    console.log(
      `\nCountersign votes, ${APPROVERS} approvers voting at once on one step (median of ${ROUNDS} rounds, ${INSTANCES} steps each):`,
    );
    console.log(`  approval service (approve): ${fmt(ours, 0)} votes/s`);
    console.log(`  raw user task completion (multi-instance, same shape): ${fmt(base, 0)} completions/s`);
    console.log(`  approvals / raw: ${fmt(ours / base, 2)}x`);
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
