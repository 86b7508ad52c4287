// A module's pool through HTTP: claim and release with their status codes and problems, the claim limit,
// the settings checked at publish, and the routes in the OpenAPI document.
import type { StoredRecord } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { type ApiClient, apiClient, expectProblem, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { organisation } from '../../support/org.ts';

const LEAD = 'mod_pool_lead';
const text = (en: string) => ({ en, 'zh-CN': en });
const reasons = ['new', 'released', 'lost_touch'].map((value) => ({ value, label: text(value) }));
const leadModule = {
  id: LEAD,
  name: 'pool_lead',
  label: text('Lead'),
  fields: [
    { id: 'pl_name', name: 'name', type: 'text', label: text('Name'), required: true },
    { id: 'pl_claimed', name: 'claimed_at', type: 'datetime', label: text('Claimed at') },
    { id: 'pl_returned', name: 'returned_at', type: 'datetime', label: text('Returned at') },
    { id: 'pl_reason', name: 'reason', type: 'select', label: text('Reason'), options: reasons },
  ],
  pool: {
    claimLimit: 2,
    claimedAtField: 'claimed_at',
    returnedAtField: 'returned_at',
    reasonField: 'reason',
    releaseReason: 'released',
  },
};

forEachDatabase('REST API pools', (handle) => {
  let admin: ApiClient;
  let rep: ApiClient;
  let other: ApiClient;
  let outsider: ApiClient;
  let repId: string;
  const records = (rest = '') => `/api/modules/pool_lead/records${rest}`;
  /** A lead in the pool (made by the administrator, then given up). */
  const pooled = async (name: string) => {
    const created = await admin.post<StoredRecord>(records(), { name });
    const released = await admin.post<StoredRecord>(records(`/${created.body.id}/release`), {
      reason: 'new',
    });
    expect(released.body).toMatchObject({ owner: null, reason: 'new' });
    return created.body.id;
  };

  beforeAll(async () => {
    admin = apiClient(handle());
    expect((await admin.post('/api/meta/modules', leadModule)).status).toBe(201);
    expect((await admin.post('/api/meta/publish', {})).status).toBe(200);
    const org = organisation(handle());
    const grant = { read: 'own', create: 'own', update: 'own', assign: null } as const;
    await org.role({ id: 'pool_rep', label: text('Rep'), modules: { [LEAD]: { ...grant, claim: true } } });
    await org.role({ id: 'pool_viewer', label: text('Viewer'), modules: { [LEAD]: grant } });
    const clients: ApiClient[] = [];
    for (const [name, role] of [
      ['pool_rep1', 'pool_rep'],
      ['pool_rep2', 'pool_rep'],
      ['pool_viewer', 'pool_viewer'],
    ]) {
      const user = await org.user(name);
      await org.grant(user, role);
      if (name === 'pool_rep1') repId = user.id;
      clients.push(apiClient(handle(), { auth: { token: await tokenFor(handle(), user.id) } }));
    }
    [rep, other, outsider] = clients as [ApiClient, ApiClient, ApiClient];
  });

  it('claims a lead from the pool; the second claimant gets 409; the owner releases it with a reason', async () => {
    const id = await pooled('华东线索');
    const seen = await rep.get<{ data: StoredRecord[] }>(records());
    expect(seen.body.data.map((r) => r.id)).toContain(id);
    // a role without the claim right sees no pool
    expect((await outsider.get<{ data: StoredRecord[] }>(records())).body.data).toEqual([]);
    expectProblem(await outsider.post(records(`/${id}/claim`)), 403);

    const claimed = await rep.post<StoredRecord>(records(`/${id}/claim`));
    expect(claimed.status).toBe(200);
    expect(claimed.headers.get('etag')).toBe(`"${claimed.body.version}"`);
    expect(claimed.body).toMatchObject({ owner: repId, reason: 'new' });
    expect(typeof claimed.body.claimed_at).toBe('string');
    const lost = await other.post(records(`/${id}/claim`));
    expectProblem(lost, 409, ['/owner']);
    // someone else's lead is not theirs to release
    expectProblem(await other.post(records(`/${id}/release`)), 404);
    expectProblem(await rep.post(records(`/${id}/release`), { reason: 'bored' }), 422, ['/reason']);
    expectProblem(await rep.post(records(`/${id}/release`), ['lost_touch']), 422, ['']);

    const released = await rep.post<StoredRecord>(records(`/${id}/release`), { reason: 'lost_touch' });
    expect(released).toMatchObject({ status: 200, body: { owner: null, reason: 'lost_touch' } });
    expect(typeof released.body.returned_at).toBe('string');
    expectProblem(await rep.post(records(`/${id}/release`)), 409, ['/owner']);
  });

  it('refuses a claim past the limit naming it, and a module without a pool', async () => {
    const ids = [await pooled('A'), await pooled('B'), await pooled('C')];
    expect((await rep.post(records(`/${ids[0]}/claim`))).status).toBe(200);
    expect((await rep.post(records(`/${ids[1]}/claim`))).status).toBe(200);
    const refused = await rep.post<{ errors: { pointer: string; code: string }[]; detail: string }>(
      records(`/${ids[2]}/claim`),
    );
    expectProblem(refused, 422, ['/owner']);
    expect(refused.body.detail).toContain('2');
    expect((await admin.get<StoredRecord>(records(`/${ids[2]}`))).body.owner).toBeNull();
    // without a pool: no claim
    await admin.post('/api/meta/modules', {
      id: 'mod_pool_plain',
      name: 'pool_plain',
      label: text('Plain'),
      fields: [{ id: 'pp_name', name: 'name', type: 'text', label: text('Name') }],
    });
    await admin.post('/api/meta/publish', {});
    const plain = await admin.post<StoredRecord>('/api/modules/pool_plain/records', { name: 'x' });
    expectProblem(await admin.post(`/api/modules/pool_plain/records/${plain.body.id}/claim`), 422);
  });

  it('checks the pool settings at publish, naming each', async () => {
    const { workspace } = handle();
    await workspace.definitions.saveDraft({
      ...leadModule,
      pool: {
        claimedAtField: 'name',
        returnedAtField: 'gone',
        reasonField: 'reason',
        releaseReason: 'bored',
      },
    });
    const error = await engineError(workspace.definitions.publish());
    expect(error.problems.map((p) => p.pointer).sort()).toEqual(
      [
        '/modules/pool_lead/pool/claimedAtField',
        '/modules/pool_lead/pool/releaseReason',
        '/modules/pool_lead/pool/returnedAtField',
      ].sort(),
    );
    await workspace.definitions.saveDraft(leadModule);
  });

  it('documents claim and release for modules with a pool only', async () => {
    const doc = await admin.get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json');
    expect(doc.body.paths['/api/modules/pool_lead/records/{id}/claim']?.post).toBeDefined();
    expect(doc.body.paths['/api/modules/pool_lead/records/{id}/release']?.post).toBeDefined();
    expect(doc.body.paths['/api/modules/pool_plain/records/{id}/claim']).toBeUndefined();
  });
});
