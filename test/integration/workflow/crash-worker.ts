// A server's workflow work in a child process, for the crash test: it starts instances of a flow with a
// webhook (to the test's HTTP server) and a timer until there are CRASH_TOTAL, keeps a per-second cron
// schedule, and runs due work, until it is killed. It reports each pass of its loop on stdout.
import { Engine, openPostgres, SYSTEM_ACTOR } from '@crm/engine';
import postgres from 'postgres';

const definitions = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="${id}_defs" targetNamespace="http://crm.test">
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

export const CRASH_XML = definitions(
  'crash',
  `<bpmn:startEvent id="s"/>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="charge"/>
    <bpmn:serviceTask id="charge"><bpmn:extensionElements>
      <zeebe:taskDefinition type="webhook" retries="5"/>
      <zeebe:ioMapping><zeebe:input source="=url" target="url"/><zeebe:input source="={ order: orderNo }" target="body"/></zeebe:ioMapping>
    </bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="b" sourceRef="charge" targetRef="pause"/>
    <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="c" sourceRef="pause" targetRef="after"/>
    <bpmn:userTask id="after"/>`,
);

/** Every second (cron with seconds): a deploy of the same XML on restart keeps the schedule as it is. */
export const TICK_XML = definitions(
  'tick',
  `<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>* * * * * *</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
    <bpmn:sequenceFlow id="a" sourceRef="s" targetRef="e"/>
    <bpmn:endEvent id="e"/>`,
);

async function main() {
  const url = process.env.CRASH_DATABASE_URL as string;
  const webhook = process.env.CRASH_WEBHOOK_URL as string;
  const total = Number(process.env.CRASH_TOTAL);
  const engine = await Engine.open({
    db: await openPostgres(url, { max: 4 }),
    workflow: { leaseMs: 1000, workerId: `crash-${process.pid}`, backoff: () => 0 },
    // the test's webhook server listens on loopback
    outbound: { allowPrivate: true },
  });
  const workspace = await engine.workspace('default');
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await workspace.workflows.deploy(CRASH_XML, SYSTEM_ACTOR);
  await workspace.workflows.deploy(TICK_XML, SYSTEM_ACTOR);
  for (;;) {
    const [row] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM ws_default._wf_instances WHERE process_id = 'crash'`;
    const started = row?.n ?? 0;
    if (started < total) {
      await workspace.workflows.start(
        'crash',
        { businessKey: `k-${started}`, variables: { url: webhook, orderNo: `k-${started}` } },
        SYSTEM_ACTOR,
      );
    }
    const result = await workspace.workflows.runDueWork(3);
    // one line per pass: the test looks at the database again when the worker has done something
    process.stdout.write(`${started} ${result.handled}\n`);
    if (started >= total && result.handled + result.failed === 0) await new Promise((r) => setTimeout(r, 50));
  }
}

if (process.env.CRASH_DATABASE_URL) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
