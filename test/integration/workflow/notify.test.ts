// The notify action: recipients by user id, role, department head and a user field of the flow's record,
// title and body with {{ FEEL }} placeholders in en and zh-CN, written once in the job's transaction;
// no recipient at all is a failed attempt naming the rules, never a silent skip.
import { type Actor, SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { actorOf, role } from '../../support/access-fixtures.ts';
import { bpmn, flows, userTask, xmlEscape } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';

const DEAL = 'mod_wnt_deal';
const dealDefinition = {
  id: DEAL,
  name: 'wnt_deal',
  label: { en: 'Deal', 'zh-CN': '商机' },
  fields: [
    { id: 'wn_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    { id: 'wn_amount', name: 'amount', type: 'integer', label: { en: 'Amount' } },
    { id: 'wn_partner', name: 'partner', type: 'user', label: { en: 'Partner' } },
  ],
};

const input = (target: string, source: string) =>
  `<zeebe:input source="${xmlEscape(source)}" target="${target}"/>`;
const header = (key: string, value: string) => `<zeebe:header key="${key}" value="${xmlEscape(value)}"/>`;

function notifyFlow(id: string, inputs: string, headers: string): string {
  return bpmn(
    id,
    `<bpmn:extensionElements><crm:record module="wnt_deal"/></bpmn:extensionElements>
     <bpmn:startEvent id="start"><bpmn:extensionElements><crm:trigger on="created"/></bpmn:extensionElements></bpmn:startEvent>
     <bpmn:serviceTask id="tell"><bpmn:extensionElements>
       <zeebe:taskDefinition type="notify" retries="1"/>
       <zeebe:ioMapping>${inputs}</zeebe:ioMapping>
       <zeebe:taskHeaders>${headers}</zeebe:taskHeaders>
     </bpmn:extensionElements></bpmn:serviceTask>
     ${userTask('wait', '=[submitter]')}
     ${flows(['f1', 'start', 'tell'], ['f2', 'tell', 'wait'])}`,
  );
}

forEachDatabase('workflow notify action', (handle) => {
  let workspace: Workspace;
  let rep: FixtureUser;
  let head: FixtureUser;
  let finance1: FixtureUser;
  let finance2: FixtureUser;
  let partner: FixtureUser;
  let gone: FixtureUser;
  let repActor: Actor;

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(dealDefinition);
    await workspace.definitions.publish();
    const org = organisation(handle());
    const sales = await org.department('Sales');
    const east = await org.department('Sales East', sales);
    head = await org.user('sales_head', { department: sales });
    await handle().engine.db.run(
      sql`UPDATE ${sql.raw(`"${workspace.schema}"._departments`)} SET head_id = ${head.id} WHERE id = ${sales.id}`,
    );
    rep = await org.user('rep', { department: east });
    finance1 = await org.user('fin_a');
    finance2 = await org.user('fin_b');
    partner = await org.user('partner');
    gone = await org.user('gone', { status: 'left' });
    await org.role(role('wnt_finance', DEAL, { read: 'all' }));
    await org.role(role('wnt_rep', DEAL, { read: 'own', create: 'own', update: 'own' }));
    await org.grant(finance1, 'wnt_finance');
    await org.grant(finance2, 'wnt_finance');
    await org.grant(gone, 'wnt_finance');
    await org.grant(rep, 'wnt_rep');
    repActor = actorOf(rep);
  });

  it('notifies by id, role, department head and record user field, once each, with rendered texts', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      notifyFlow(
        'wnt_announce',
        [
          input('users', `=[submitter, "${'00000000-0000-7000-8000-000000000000'}"]`),
          input('roles', '="wnt_finance"'),
          input('departmentHeadOf', '=submitter'),
          input('userFields', '=["partner"]'),
        ].join(''),
        [
          header('title', 'New deal {{record.title}} worth {{record.amount * 2 / 2}}'),
          header('titleZh', '新商机 {{record.title}}'),
          header('body', 'Amount: {{record.amount}}'),
        ].join(''),
      ),
      SYSTEM_ACTOR,
    );
    const deal = await workspace.records.create(
      'wnt_deal',
      { title: 'ACME', amount: 5000, partner: partner.id },
      repActor,
    );
    await wf.runDueWork();
    const [instance] = (await wf.queries.instances({ processId: 'wnt_announce' })).filter(
      (each) => each.record_id === deal.id,
    );
    expect(instance?.currentElements).toEqual(['wait']);
    expect(instance?.variables.notified).toEqual([rep.id, finance1.id, finance2.id, head.id, partner.id]);
    for (const user of [rep, finance1, finance2, head, partner]) {
      const { data, unread } = await workspace.notifications.list(user.id);
      expect(unread).toBe(1);
      expect(data[0]).toMatchObject({
        kind: 'workflow',
        title: { en: 'New deal ACME worth 5000', 'zh-CN': '新商机 ACME' },
        body: 'Amount: 5000',
        link: { module: 'wnt_deal', recordId: deal.id, instanceId: instance?.id },
      });
    }
    expect((await workspace.notifications.list(gone.id)).data).toEqual([]);
  });

  it('no recipient at all fails the task with an incident naming the rules', async () => {
    const wf = workspace.workflows;
    await wf.deploy(
      notifyFlow('wnt_nobody', input('roles', '="no_such_role"'), header('title', 'Hello')),
      SYSTEM_ACTOR,
    );
    const deal = await workspace.records.create('wnt_deal', { title: 'Lonely' }, repActor);
    await wf.runDueWork();
    const [instance] = (await wf.queries.instances({ processId: 'wnt_nobody' })).filter(
      (each) => each.record_id === deal.id,
    );
    const [incident] = await wf.queries.incidents({ instanceId: instance?.id });
    expect(incident).toMatchObject({ element_id: 'tell', kind: 'job-failed', attempts: 1 });
    expect(incident?.message).toContain('no active user matches the recipients');
  });
});
