// Record triggers: created, updated (FEEL over old and new values) and deleted start the latest version's
// flows in the record write's own transaction; a failing condition keeps the write and leaves an incident;
// a flow's own (system) writes never retrigger it; manual actions on a record; refused trigger settings.
import { type Actor, type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { actorOf, role } from '../../support/access-fixtures.ts';
import { bpmn, flows, userTask, xmlEscape } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';

const QUOTE = 'mod_wtr_quote';
const quoteDefinition = {
  id: QUOTE,
  name: 'wtr_quote',
  label: { en: 'Quote', 'zh-CN': '报价' },
  fields: [
    { id: 'wt_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    { id: 'wt_discount', name: 'discount', type: 'decimal', scale: 2, label: { en: 'Discount' } },
    { id: 'wt_pattern', name: 'pattern', type: 'text', label: { en: 'Match flags' } },
    { id: 'wt_reviews', name: 'reviews', type: 'integer', label: { en: 'Reviews' } },
    {
      id: 'wt_items',
      name: 'items',
      type: 'subtable',
      label: { en: 'Items' },
      fields: [{ id: 'wti_sku', name: 'sku', type: 'text', label: { en: 'SKU' }, required: true }],
    },
  ],
};

const trigger = (on: string, attrs = '') => `<crm:trigger on="${on}"${attrs}/>`;

/** A flow about quotes whose start event has `triggers`, waiting at a user task for the submitter. */
function quoteFlow(id: string, triggers: string, extra = ''): string {
  return bpmn(
    id,
    `<bpmn:extensionElements><crm:record module="wtr_quote"/></bpmn:extensionElements>
     <bpmn:startEvent id="start"><bpmn:extensionElements>${triggers}</bpmn:extensionElements></bpmn:startEvent>
     ${userTask('review', '=[submitter]')}
     <bpmn:endEvent id="done"/>
     ${extra || flows(['f1', 'start', 'review'], ['f2', 'review', 'done'])}`,
  );
}

forEachDatabase('workflow record triggers', (handle) => {
  let workspace: Workspace;
  let rep: FixtureUser;
  let outsider: FixtureUser;
  let repActor: Actor;

  const instancesOf = async (processId: string, recordId?: string) =>
    (await workspace.workflows.queries.instances({ processId })).filter(
      (instance) => recordId === undefined || instance.record_id === recordId,
    );

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(quoteDefinition);
    await workspace.definitions.publish();
    const org = organisation(handle());
    rep = await org.user('rep');
    outsider = await org.user('outsider');
    await org.role(role('wtr_rep', QUOTE, { read: 'own', create: 'own', update: 'own', delete: 'own' }));
    await org.grant(rep, 'wtr_rep');
    await org.grant(outsider, 'wtr_rep');
    repActor = actorOf(rep);
  });

  it('a create starts the flow when its condition holds, with the record, its module and the submitter', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      quoteFlow('wtr_big_discount', trigger('created', ` condition="${xmlEscape('=new.discount > 0.2')}"`)),
      SYSTEM_ACTOR,
    );
    const small = await workspace.records.create('wtr_quote', { title: 'small', discount: 0.1 }, repActor);
    const big = await workspace.records.create('wtr_quote', { title: 'big', discount: 0.3 }, repActor);
    expect(await instancesOf('wtr_big_discount', small.id)).toEqual([]);
    const [instance] = await instancesOf('wtr_big_discount', big.id);
    expect(instance).toMatchObject({
      module: 'wtr_quote',
      record_id: big.id,
      started_by: rep.id,
      business_key: big.id,
      currentElements: ['review'],
    });
    expect(instance?.variables).toMatchObject({
      record: { id: big.id, title: 'big', discount: 0.3 },
      recordId: big.id,
      module: 'wtr_quote',
      submitter: rep.id,
    });
    expect((await wf.queries.tasksFor(rep.id)).some((task) => task.instance_id === instance?.id)).toBe(true);
  });

  it('an update starts the flow when the condition over old and new values holds; a delete too', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      quoteFlow(
        'wtr_raised',
        trigger('updated', ` condition="${xmlEscape('=new.discount > old.discount')}"`),
      ),
      SYSTEM_ACTOR,
    );
    await wf.deploy(quoteFlow('wtr_deleted', trigger('deleted')), SYSTEM_ACTOR);
    const quote = await workspace.records.create('wtr_quote', { title: 'Q', discount: 0.1 }, repActor);
    await workspace.records.update('wtr_quote', quote.id, { discount: 0.05 }, repActor);
    await workspace.records.update('wtr_quote', quote.id, { title: 'Q renamed' }, repActor);
    expect(await instancesOf('wtr_raised', quote.id)).toEqual([]);
    await workspace.records.update('wtr_quote', quote.id, { discount: 0.12 }, repActor);
    const [raised] = await instancesOf('wtr_raised', quote.id);
    expect(raised?.variables.record).toMatchObject({ title: 'Q renamed', discount: 0.12, version: 4 });

    await workspace.records.delete('wtr_quote', quote.id, repActor);
    const [deleted] = await instancesOf('wtr_deleted', quote.id);
    expect(deleted?.variables.record).toMatchObject({ id: quote.id, title: 'Q renamed' });
    expect(deleted?.started_by).toBe(rep.id);
  });

  it('a change of sub-table rows is an update: its condition sees the rows before and after', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      quoteFlow(
        'wtr_more_items',
        trigger('updated', ` condition="${xmlEscape('=count(new.items) > count(old.items)')}"`),
      ),
      SYSTEM_ACTOR,
    );
    const quote = await workspace.records.create(
      'wtr_quote',
      { title: 'rows', items: [{ sku: 'A' }] },
      repActor,
    );
    await workspace.records.updateRow(
      'wtr_quote',
      quote.id,
      'items',
      (quote.items as { id: string }[])[0]?.id as string,
      { sku: 'B' },
      repActor,
    );
    expect(await instancesOf('wtr_more_items', quote.id)).toEqual([]);
    await workspace.records.appendRow('wtr_quote', quote.id, 'items', { sku: 'C' }, repActor);
    const [instance] = await instancesOf('wtr_more_items', quote.id);
    const record = instance?.variables.record as { items: { sku: string }[] } | undefined;
    expect(record?.items.map((row) => row.sku)).toEqual(['B', 'C']);
  });

  it('the start is part of the write: a flow that cannot start leaves no record behind', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      quoteFlow(
        'wtr_broken',
        trigger('created', ` condition="${xmlEscape('=new.title = "needs the missing flow"')}"`),
        `<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="wtr_never_deployed"/></bpmn:extensionElements></bpmn:callActivity>
         ${flows(['f1', 'start', 'call'], ['f2', 'call', 'review'], ['f3', 'review', 'done'])}`,
      ),
      SYSTEM_ACTOR,
    );
    const error = await engineError(
      workspace.records.create('wtr_quote', { title: 'needs the missing flow' }, repActor),
    );
    expect(error.kind).toBe('not-found');
    const page = await workspace.records.list('wtr_quote', SYSTEM_ACTOR, {
      filter: { field: 'title', op: 'eq', value: 'needs the missing flow' },
    });
    expect(page.data).toEqual([]);
    expect(await instancesOf('wtr_broken')).toEqual([]);
    // the same flow deployed without the broken call: later creates are fine again
    await wf.deploy(quoteFlow('wtr_broken', trigger('created', ' condition="=false"')), SYSTEM_ACTOR);
    await workspace.records.create('wtr_quote', { title: 'needs the missing flow' }, repActor);
  });

  it('a condition that fails to evaluate keeps the write: an incident at the start event, retried on', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      quoteFlow(
        'wtr_pattern',
        trigger('created', ` condition="${xmlEscape('=matches(new.title, "a", new.pattern)')}"`),
      ),
      SYSTEM_ACTOR,
    );
    const matching = await workspace.records.create('wtr_quote', { title: 'abc', pattern: 'i' }, repActor);
    const broken = await workspace.records.create('wtr_quote', { title: 'abc', pattern: 'x' }, repActor);
    expect(await instancesOf('wtr_pattern', matching.id)).toHaveLength(1);
    const [stuck] = await instancesOf('wtr_pattern', broken.id);
    expect(stuck).toMatchObject({ state: 'active', currentElements: ['start'], openIncidents: 1 });
    const [incident] = await wf.queries.incidents({ instanceId: stuck?.id });
    expect(incident).toMatchObject({ kind: 'trigger-condition', element_id: 'start' });
    expect(incident?.message).toContain('the trigger condition failed');
    await wf.retryIncident(incident?.id as string, SYSTEM_ACTOR);
    expect((await wf.queries.instance(stuck?.id as string)).currentElements).toEqual(['review']);
  });

  it("a flow's own record writes do not retrigger it; only the latest version's triggers count", async () => {
    const wf = workspace.workflows;
    const bump = `<bpmn:serviceTask id="bump"><bpmn:extensionElements>
        <zeebe:taskDefinition type="update-record"/>
        <zeebe:ioMapping><zeebe:input source="${xmlEscape('={ reviews: (if record.reviews = null then 0 else record.reviews) + 1 }')}" target="values"/></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:serviceTask>`;
    await wf.deploy(
      quoteFlow(
        'wtr_counter',
        trigger('updated'),
        `${bump}${flows(['f1', 'start', 'bump'], ['f2', 'bump', 'review'], ['f3', 'review', 'done'])}`,
      ),
      SYSTEM_ACTOR,
    );
    const quote = await workspace.records.create('wtr_quote', { title: 'counted' }, repActor);
    await workspace.records.update('wtr_quote', quote.id, { title: 'counted once' }, repActor);
    await wf.runDueWork();
    await wf.runDueWork();
    const instances = await instancesOf('wtr_counter', quote.id);
    expect(instances).toHaveLength(1);
    expect(instances[0]?.currentElements).toEqual(['review']);
    const stored = await workspace.records.get('wtr_quote', quote.id, SYSTEM_ACTOR);
    expect(stored.reviews).toBe(1);
    // a new version without the trigger: updates start nothing
    await wf.deploy(quoteFlow('wtr_counter', trigger('manual', ' label="Count"')), SYSTEM_ACTOR);
    await workspace.records.update('wtr_quote', quote.id, { title: 'counted twice' }, repActor);
    expect(await instancesOf('wtr_counter', quote.id)).toHaveLength(1);
    // and the system's own writes (imports, seeds, flows) never start flows
    await workspace.records.update('wtr_quote', quote.id, { discount: 0.9 }, SYSTEM_ACTOR);
    expect(await instancesOf('wtr_raised', quote.id)).toEqual([]);
  });

  it('offers manual actions on a record its readers can start; others get not-found', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      quoteFlow('wtr_submit', trigger('manual', ' label="Submit for approval" labelZh="提交审批"')),
      SYSTEM_ACTOR,
    );
    const quote: StoredRecord = await workspace.records.create('wtr_quote', { title: 'manual' }, repActor);
    const actions = await wf.triggers.actions('wtr_quote', quote.id, repActor);
    expect(actions).toContainEqual({
      processId: 'wtr_submit',
      version: 1,
      processName: 'wtr_submit',
      elementId: 'start',
      label: { en: 'Submit for approval', 'zh-CN': '提交审批' },
    });
    expect((await engineError(wf.triggers.actions('wtr_quote', quote.id, actorOf(outsider)))).kind).toBe(
      'not-found',
    );
    expect(
      (await engineError(wf.triggers.runAction('wtr_quote', quote.id, 'wtr_submit', actorOf(outsider)))).kind,
    ).toBe('not-found');
    expect(
      (await engineError(wf.triggers.runAction('wtr_quote', quote.id, 'wtr_raised', repActor))).kind,
    ).toBe('not-found');
    const instance = await wf.triggers.runAction('wtr_quote', quote.id, 'wtr_submit', repActor);
    expect(instance).toMatchObject({ module: 'wtr_quote', record_id: quote.id, started_by: rep.id });
    expect(instance.variables).toMatchObject({ record: { title: 'manual' }, submitter: rep.id });
  });

  it('refuses triggers that are malformed or need a record binding, naming the start event', async () => {
    const wf = workspace.workflows;
    const unbound = bpmn(
      'wtr_unbound',
      `<bpmn:startEvent id="start"><bpmn:extensionElements>${trigger('created')}</bpmn:extensionElements></bpmn:startEvent>
       <bpmn:endEvent id="done"/>${flows(['f1', 'start', 'done'])}`,
    );
    const unboundError = await engineError(wf.deploy(unbound, SYSTEM_ACTOR));
    expect(unboundError.problems.map((p) => [p.pointer, p.code])).toEqual([
      ['/elements/wtr_unbound', 'trigger-needs-record'],
    ]);
    const cases: [string, string][] = [
      [trigger('inserted'), 'invalid-trigger'],
      [trigger('manual'), 'trigger-label'],
      [trigger('api', ' condition="=true"'), 'trigger-condition'],
      [trigger('manual', ' label="Go" condition="=record.discount >"'), 'invalid-expression'],
      [trigger('updated', ' condition="=new.discount >"'), 'invalid-expression'],
      [`${trigger('created')}${trigger('created')}`, 'duplicate-trigger'],
    ];
    for (const [settings, code] of cases) {
      const error = await engineError(wf.deploy(quoteFlow('wtr_bad', settings), SYSTEM_ACTOR));
      expect(error.problems.map((p) => [p.pointer, p.code])).toEqual([['/elements/start', code]]);
    }
  });
});
