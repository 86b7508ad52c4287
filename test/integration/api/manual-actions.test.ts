// Manual actions offered only when they make sense: a manual trigger's FEEL condition over the record and
// the user decides whether the record page offers it, and a start of an action not offered (its condition
// does not hold, or its process already runs for the record) is refused with 409 naming why. Two clicks at
// once start one instance.
import type { InstanceRow } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { role } from '../../support/access-fixtures.ts';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { bpmn, flows, userTask, xmlEscape } from '../../support/bpmn.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { organisation } from '../../support/org.ts';

const xml = { 'content-type': 'application/xml' };
const DEAL = 'mod_mac_deal';

const dealModule = {
  id: DEAL,
  name: 'mac_deal',
  label: { en: 'Deal', 'zh-CN': '商机' },
  fields: [
    { id: 'mac_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { id: 'mac_amount', name: 'amount', type: 'integer', label: { en: 'Amount' } },
    {
      id: 'mac_stage',
      name: 'stage',
      type: 'select',
      label: { en: 'Stage' },
      options: [
        { value: 'open', label: { en: 'Open' } },
        { value: 'won', label: { en: 'Won' } },
        { value: 'lost', label: { en: 'Lost' } },
      ],
    },
  ],
};

const manualFlow = (id: string, label: string, condition: string) =>
  bpmn(
    id,
    `<bpmn:extensionElements><crm:record module="mac_deal"/></bpmn:extensionElements>
     <bpmn:startEvent id="start"><bpmn:extensionElements>
       <crm:trigger on="manual" label="${label}" labelZh="${label}（中）" condition="${xmlEscape(condition)}"/>
     </bpmn:extensionElements></bpmn:startEvent>
     ${userTask('review', '=[submitter]')}
     ${flows(['f1', 'start', 'review'])}`,
  );

type Problem = { errors: { code: string; messages: Record<string, string> }[] };

forEachDatabase('REST API manual actions offered by condition', (handle) => {
  let admin: ApiClient;
  let rep: ApiClient;
  let repId: string;

  const offered = async (id: string) =>
    (await rep.get<{ processId: string }[]>(`/api/modules/mac_deal/records/${id}/actions`)).body
      .map((action) => action.processId)
      .sort();
  const instancesOf = async (id: string, processId: string) =>
    (await admin.get<InstanceRow[]>(`/api/workflows/instances?recordId=${id}&processId=${processId}`)).body;
  const newDeal = async (values: Record<string, unknown>) =>
    (await rep.post<{ id: string }>('/api/modules/mac_deal/records', { name: 'Deal', ...values })).body.id;

  beforeAll(async () => {
    admin = apiClient(handle());
    const { workspace } = handle();
    await workspace.definitions.saveDraft(dealModule);
    await workspace.definitions.publish();
    const org = organisation(handle());
    const repUser = await org.user('mac_rep');
    await org.role(role('mac_rep', DEAL, { read: 'own', create: 'own', update: 'own' }));
    await org.grant(repUser, 'mac_rep');
    repId = repUser.id;
    rep = apiClient(handle(), { auth: { token: await tokenFor(handle(), repUser.id, ['records:write']) } });
    for (const flow of [
      manualFlow('mac_close', 'Close', '=record.stage != "won" and record.stage != "lost"'),
      manualFlow('mac_big', 'Escalate', '=record.amount >= 1000 and actor = record.owner'),
    ]) {
      const deployed = await admin.post('/api/workflows/definitions', undefined, { raw: flow, headers: xml });
      expect(deployed.status).toBe(201);
    }
  });

  it('offers an action only while its condition holds for the record and the user', async () => {
    const small = await newDeal({ stage: 'open', amount: 10 });
    const big = await newDeal({ stage: 'open', amount: 5000 });
    const lost = await newDeal({ stage: 'lost', amount: 5000 });
    const blank = await newDeal({});
    expect(await offered(small)).toEqual(['mac_close']);
    expect(await offered(big)).toEqual(['mac_big', 'mac_close']);
    expect(await offered(lost)).toEqual(['mac_big']);
    // an empty stage is neither won nor lost; an empty amount is not 1000 or more
    expect(await offered(blank)).toEqual(['mac_close']);
    // `actor` is who asks: the admin does not own the deal, so the owner-only action is not theirs
    const asAdmin = await admin.get<{ processId: string }[]>(`/api/modules/mac_deal/records/${big}/actions`);
    expect(asAdmin.body.map((action) => action.processId)).toEqual(['mac_close']);

    const refused = await rep.post(`/api/modules/mac_deal/records/${lost}/actions/mac_close`);
    const problem = expectProblem(refused, 409) as unknown as Problem;
    expect(problem.errors[0]?.code).toBe('condition-not-met');
    expect(problem.errors[0]?.messages.en).toBe(
      `'Close' is not available for this record now (=record.stage != "won" and record.stage != "lost" does not hold)`,
    );
    expect(problem.errors[0]?.messages['zh-CN']).toContain('“Close（中）”当前不适用于该记录');
    expect(await instancesOf(lost, 'mac_close')).toEqual([]);

    // the record changes: the action follows
    const current = (await rep.get<{ version: number }>(`/api/modules/mac_deal/records/${small}`)).body;
    await rep.patch(
      `/api/modules/mac_deal/records/${small}`,
      { stage: 'won' },
      {
        headers: { 'if-match': `"${current.version}"` },
      },
    );
    expect(await offered(small)).toEqual([]);
  });

  it('is not offered while its process runs for the record, and again once it ended', async () => {
    const deal = await newDeal({ stage: 'open', amount: 10 });
    const started = await rep.post<InstanceRow>(`/api/modules/mac_deal/records/${deal}/actions/mac_close`);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ record_id: deal, started_by: repId });
    expect(await offered(deal)).toEqual([]);
    const again = await rep.post(`/api/modules/mac_deal/records/${deal}/actions/mac_close`);
    const problem = expectProblem(again, 409) as unknown as Problem;
    expect(problem.errors[0]?.code).toBe('already-running');
    expect(problem.errors[0]?.messages.en).toBe(
      "'Close' is not available: mac_close is already running for this record",
    );
    expect(await instancesOf(deal, 'mac_close')).toHaveLength(1);

    expect((await admin.post(`/api/workflows/instances/${started.body.id}/cancel`)).status).toBe(200);
    expect(await offered(deal)).toEqual(['mac_close']);
  });

  it('starts one instance for two clicks at the same moment', async () => {
    const deal = await newDeal({ stage: 'open', amount: 10 });
    const clicks = await Promise.all(
      [1, 2].map(() => rep.post(`/api/modules/mac_deal/records/${deal}/actions/mac_close`)),
    );
    expect(clicks.map((click) => click.status).sort()).toEqual([201, 409]);
    expect(await instancesOf(deal, 'mac_close')).toHaveLength(1);
  });

  it('refuses at deploy a manual condition that does not parse, naming the start event', async () => {
    const broken = manualFlow('mac_broken', 'Broken', '=record.amount >');
    const response = await admin.post('/api/workflows/definitions', undefined, { raw: broken, headers: xml });
    expectProblem(response, 422, ['/elements/start']);
  });
});
