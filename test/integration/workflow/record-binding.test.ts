// Processes about records (crm:record): deploy-time checks against the published module, and starting
// an instance for a record (access, start variables, the instance's module and record).
import { type StoredRecord, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { actorOf, role } from '../../support/access-fixtures.ts';
import { bpmn, flows, userTask } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';

const QUOTE = 'mod_wfb_quote';
const statusOptions = ['draft', 'in_approval', 'approved', 'rejected', 'recalled'].map((value) => ({
  value,
  label: { en: value, 'zh-CN': value },
}));

const quoteDefinition = {
  id: QUOTE,
  name: 'wfb_quote',
  label: { en: 'Quote', 'zh-CN': '报价' },
  fields: [
    { id: 'wq_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    { id: 'wq_discount', name: 'discount', type: 'decimal', scale: 2, label: { en: 'Discount' } },
    { id: 'wq_status', name: 'status', type: 'select', label: { en: 'Status' }, options: statusOptions },
    { id: 'wq_note', name: 'note', type: 'text', label: { en: 'Note' } },
  ],
};

function approvalFlow(id: string, record: string): string {
  return bpmn(
    id,
    `<bpmn:extensionElements>${record}</bpmn:extensionElements>
     <bpmn:startEvent id="start"/>
     ${userTask('review', '=[submitter]')}
     <bpmn:endEvent id="done"/>
     ${flows(['f1', 'start', 'review'], ['f2', 'review', 'done'])}`,
  );
}

forEachDatabase('workflow record binding', (handle) => {
  let workspace: Workspace;
  let rep: FixtureUser;
  let outsider: FixtureUser;
  let quote: StoredRecord;

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(quoteDefinition);
    await workspace.definitions.publish();
    const org = organisation(handle());
    rep = await org.user('rep');
    outsider = await org.user('outsider');
    await org.role(role('wfb_rep', QUOTE, { read: 'own', create: 'own', update: 'own' }));
    await org.grant(rep, 'wfb_rep');
    await org.grant(outsider, 'wfb_rep');
    quote = await workspace.records.create('wfb_quote', { title: 'Q-1', discount: 0.15 }, actorOf(rep));
  });

  it('refuses a binding to a module that is not published, naming the process', async () => {
    const error = await engineError(
      workspace.workflows.deploy(approvalFlow('wfb_unknown', '<crm:record module="nope"/>'), SYSTEM_ACTOR),
    );
    expect(error.kind).toBe('invalid-definition');
    expect(error.problems).toEqual([
      expect.objectContaining({ pointer: '/elements/wfb_unknown', code: 'unknown-module' }),
    ]);
    expect(await workspace.workflows.definitions()).toEqual([]);
  });

  it('refuses a status field that is not a single select or lacks a status value', async () => {
    const notSelect = await engineError(
      workspace.workflows.deploy(
        approvalFlow('wfb_text', `<crm:record module="wfb_quote" statusField="note"/>`),
        SYSTEM_ACTOR,
      ),
    );
    expect(notSelect.problems).toEqual([expect.objectContaining({ code: 'status-field-not-select' })]);
    const missing = await engineError(
      workspace.workflows.deploy(
        approvalFlow(
          'wfb_missing',
          `<crm:record module="wfb_quote" statusField="status" pending="waiting"/>`,
        ),
        SYSTEM_ACTOR,
      ),
    );
    expect(missing.problems).toEqual([
      expect.objectContaining({
        code: 'status-value-unknown',
        message: expect.stringContaining("'waiting'"),
      }),
    ]);
    const noModule = await engineError(
      workspace.workflows.deploy(approvalFlow('wfb_empty', '<crm:record lock="true"/>'), SYSTEM_ACTOR),
    );
    expect(noModule.problems).toEqual([expect.objectContaining({ code: 'record-module-required' })]);
  });

  it('starts an instance for a record the submitter can read, with the record in its variables', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      approvalFlow('wfb_discount', `<crm:record module="wfb_quote" lock="true" statusField="status"/>`),
      SYSTEM_ACTOR,
    );
    const instance = await wf.start(
      'wfb_discount',
      // a caller's variables cannot pose as the record or the submitter
      {
        record: { module: 'wfb_quote', id: quote.id },
        variables: { submitter: 'someone', reason: 'big deal' },
      },
      actorOf(rep),
    );
    expect(instance).toMatchObject({
      module: 'wfb_quote',
      record_id: quote.id,
      business_key: quote.id,
      started_by: rep.id,
    });
    const detail = await wf.queries.instance(instance.id);
    expect(detail.variables).toMatchObject({
      reason: 'big deal',
      module: 'wfb_quote',
      recordId: quote.id,
      submitter: rep.id,
      record: { id: quote.id, title: 'Q-1', discount: 0.15 },
    });
    const [task] = await wf.queries.tasksFor(rep.id);
    expect(task).toMatchObject({ instance_id: instance.id, element_id: 'review' });
  });

  it('refuses a record the submitter cannot read, and a record of another module, writing nothing', async () => {
    const wf = workspace.workflows;
    const before = await wf.queries.instances({ processId: 'wfb_discount' });
    await expect(
      wf.start('wfb_discount', { record: { module: 'wfb_quote', id: quote.id } }, actorOf(outsider)),
    ).rejects.toMatchObject({ kind: 'not-found' });
    const mismatch = await engineError(
      wf.start('wfb_discount', { record: { module: 'other', id: quote.id } }, actorOf(rep)),
    );
    expect(mismatch.problems).toEqual([
      expect.objectContaining({ pointer: '/record/module', code: 'record-module-mismatch' }),
    ]);
    expect(await wf.queries.instances({ processId: 'wfb_discount' })).toHaveLength(before.length);
  });

  it('starts inside a caller transaction and rolls back with it', async () => {
    const wf = workspace.workflows;
    const before = await wf.queries.instances({ processId: 'wfb_discount' });
    await expect(
      handle().engine.db.transaction(async (tx) => {
        await wf.start(
          'wfb_discount',
          { record: { module: 'wfb_quote', id: quote.id, values: { title: 'Q-1' } }, db: tx },
          actorOf(rep),
        );
        throw new Error('the record write failed');
      }),
    ).rejects.toThrow('the record write failed');
    expect(await wf.queries.instances({ processId: 'wfb_discount' })).toHaveLength(before.length);
  });
});
