// Service task settings known at deploy are checked then, not when the job first runs: a required input
// left out, a record action's module that is not published, a field its values name that the module does
// not have. Each problem names the element and the setting; a diagram with problems deploys nothing.
import { SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { bpmn, flows, xmlEscape } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';

const ticketModule = {
  id: 'mod_as_ticket',
  name: 'as_ticket',
  label: { en: 'Ticket', 'zh-CN': '工单' },
  fields: [
    { id: 'as_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    { id: 'as_state', name: 'state', type: 'text', label: { en: 'State' } },
  ],
};

/** A service task of `type` with input mappings (target → FEEL) and headers. */
function task(type: string, inputs: Record<string, string>, headers: Record<string, string> = {}): string {
  const mapped = Object.entries(inputs)
    .map(([target, source]) => `<zeebe:input source="${xmlEscape(source)}" target="${target}"/>`)
    .join('');
  const header = Object.entries(headers)
    .map(([key, value]) => `<zeebe:header key="${key}" value="${xmlEscape(value)}"/>`)
    .join('');
  return `<bpmn:serviceTask id="act"><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/>
    <zeebe:ioMapping>${mapped}</zeebe:ioMapping><zeebe:taskHeaders>${header}</zeebe:taskHeaders>
  </bpmn:extensionElements></bpmn:serviceTask>`;
}

const diagram = (id: string, serviceTask: string, bound = true) =>
  bpmn(
    id,
    `${bound ? '<bpmn:extensionElements><crm:record module="as_ticket"/></bpmn:extensionElements>' : ''}
     <bpmn:startEvent id="s"/>${serviceTask}<bpmn:endEvent id="e"/>${flows(['a', 's', 'act'], ['b', 'act', 'e'])}`,
  );

forEachDatabase('service task settings checked at deploy', (handle) => {
  beforeAll(async () => {
    await handle().workspace.definitions.saveDraft(ticketModule);
    await handle().workspace.definitions.publish();
  });

  const problemsOf = async (xml: string) =>
    (await handle().workspace.workflows.lint(xml)).problems.map((p) => [p.pointer, p.code, p.message]);

  it('names a record action whose module is not published or whose values name unknown fields', async () => {
    expect(
      await problemsOf(
        diagram(
          'as_bad_module',
          task('update-record', { values: '={ state: "closed" }' }, { module: 'as_nope' }),
        ),
      ),
    ).toEqual([['/elements/act', 'unknown-module', "act: module: 'as_nope' is not a published module"]]);
    expect(
      await problemsOf(
        diagram(
          'as_bad_field',
          task('create-record', { values: '={ title: "Follow up " + title, colour: "red" }' }),
        ),
      ),
    ).toEqual([['/elements/act', 'unknown-field', "act: values: 'colour' is not a field of 'as_ticket'"]]);
    expect(
      await problemsOf(diagram('as_unbound', task('create-record', { values: '={ title: "x" }' }), false)),
    ).toEqual([
      [
        '/elements/act',
        'missing-setting',
        'act: module: names no module, and the process has no crm:record module to default to',
      ],
    ]);
    // the zh-CN message names the element and the setting too
    const [problem] = (
      await handle().workspace.workflows.lint(
        diagram('as_zh', task('update-record', { values: '={}' }, { module: 'as_nope' })),
      )
    ).problems;
    expect(problem?.messages?.['zh-CN']).toBe('act：module：“as_nope”不是已发布的模块');
  });

  it('names a required input left out', async () => {
    expect(await problemsOf(diagram('as_no_url', task('webhook', { body: '={}' })))).toEqual([
      ['/elements/act', 'missing-setting', "act: the webhook task needs the input 'url'"],
    ]);
    expect(await problemsOf(diagram('as_no_values', task('update-record', {})))).toEqual([
      ['/elements/act', 'missing-setting', "act: the update-record task needs the input 'values'"],
    ]);
  });

  it('deploys settings it can check or that are computed at run time, and refuses the others whole', async () => {
    const wf = handle().workspace.workflows;
    const good = diagram(
      'as_good',
      task(
        'create-record',
        { values: '={ title: "Follow up", state: stateFromVariables }' },
        { module: 'as_ticket' },
      ),
    );
    expect(await problemsOf(good)).toEqual([]);
    // a module computed from variables is checked when the job runs
    expect(
      await problemsOf(
        diagram('as_dynamic', task('create-record', { module: '=target', values: '={ anything: 1 }' })),
      ),
    ).toEqual([]);
    await wf.deploy(good, SYSTEM_ACTOR);
    await expect(
      wf.deploy(diagram('as_refused', task('update-record', { values: '={ nope: 1 }' })), SYSTEM_ACTOR),
    ).rejects.toMatchObject({
      kind: 'invalid-definition',
      problems: [expect.objectContaining({ code: 'unknown-field' })],
    });
    const deployed = (await wf.definitions()).map((d) => d.processId);
    expect(deployed).toContain('as_good');
    expect(deployed).not.toContain('as_refused');
  });
});
