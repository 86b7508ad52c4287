// A server's workflow work in a child process, for the crash test: it starts instances of a flow with a
// service task and a timer until there are CRASH_TOTAL, and runs due work, until it is killed.
import { Engine, openPostgres, SYSTEM_ACTOR } from '@crm/engine';
import postgres from 'postgres';

export const CRASH_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="crash_defs" targetNamespace="http://crm.test">
  <bpmn:process id="crash" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="charge"/>
    <bpmn:serviceTask id="charge"><bpmn:extensionElements><zeebe:taskDefinition type="crash-charge" retries="5"/></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="b" sourceRef="charge" targetRef="pause"/>
    <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="c" sourceRef="pause" targetRef="after"/>
    <bpmn:userTask id="after"/>
  </bpmn:process>
</bpmn:definitions>`;

async function main() {
  const url = process.env.CRASH_DATABASE_URL as string;
  const total = Number(process.env.CRASH_TOTAL);
  const engine = await Engine.open({
    db: await openPostgres(url, { max: 4 }),
    workflow: { leaseMs: 1000, workerId: `crash-${process.pid}`, backoff: () => 0 },
  });
  const workspace = await engine.workspace('default');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  workspace.workflows.registerAction({
    type: 'crash-charge',
    async run({ idempotencyKey, attempt }) {
      // the external call: recorded with its idempotency key, then a little work before the result counts
      await sql`INSERT INTO public.crash_calls (key, attempt, pid) VALUES (${idempotencyKey}, ${attempt}, ${process.pid})`;
      await sql`SELECT pg_sleep(0.005)`;
      return { charged: true };
    },
  });
  await workspace.workflows.deploy(CRASH_XML, SYSTEM_ACTOR);
  for (;;) {
    const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM ws_default._wf_instances`;
    const started = row?.n ?? 0;
    if (started < total)
      await workspace.workflows.start('crash', { businessKey: `k-${started}` }, SYSTEM_ACTOR);
    const result = await workspace.workflows.runDueWork(3);
    if (started >= total && result.handled + result.failed === 0) await new Promise((r) => setTimeout(r, 50));
  }
}

if (process.env.CRASH_DATABASE_URL) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
