// Attacks through the API: a corpus of classic SQL injection payloads in every place user text
// reaches a query (filter values, field names and operators, sort, selected fields, search text,
// path segments, share principals, log search), and guessing other users' record ids. Each is
// refused or taken as a plain value; the tables stay intact and no payload runs (pg_sleep).
import type { StoredRecord } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { buildTree, customerDefinition, role } from '../../support/access-fixtures.ts';
import { type ApiClient, apiClient, tokenFor } from '../../support/api.ts';
import { forEachDatabase } from '../../support/engines.ts';
import { type FixtureUser, organisation } from '../../support/org.ts';
import { rawRows } from '../../support/sql.ts';

const PAYLOADS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  "'; DROP TABLE customer; --",
  '"; DROP TABLE "customer"; --',
  'customer"; DROP TABLE customer; --',
  '$$; DROP TABLE customer; $$',
  '$tag$ OR 1=1 $tag$',
  '\u2019 OR \u20181\u2019=\u20181',
  '\u02bc OR 1=1 --',
  '\uff07 OR 1=1 --',
  "1' /* */ OR /**/ '1'='1",
  '*/ OR 1=1 /*',
  "admin'--",
  "' UNION SELECT id, username FROM _users --",
  "'; SELECT pg_sleep(3); --",
  "' || pg_sleep(3) || '",
  '1); SELECT pg_sleep(3); --',
  "\\'; DROP TABLE customer; --",
  "%' OR '%'='",
  '_%',
  "name') OR ('1'='1",
  '-- ',
  ';',
  "E'\\x27 OR 1=1'",
];

const records = (rest = '') => `/api/modules/customer/records${rest}`;
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));

forEachDatabase('SQL injection and id guessing', (handle) => {
  let admin: ApiClient;
  let alice: FixtureUser;
  let bob: FixtureUser;
  let asAlice: ApiClient;
  let bobsRecord: StoredRecord;

  const tablesIntact = async () => {
    const schema = handle().workspace.schema;
    const [row] = await rawRows(
      handle().engine,
      `SELECT (SELECT count(*) FROM "${schema}"."customer") AS customers,
              (SELECT count(*) FROM "${schema}"."_users") AS users,
              (SELECT count(*) FROM "${schema}"."_roles") AS roles`,
    );
    return { customers: Number(row.customers), users: Number(row.users), roles: Number(row.roles) };
  };

  beforeAll(async () => {
    admin = apiClient(handle());
    await admin.post('/api/meta/modules', customerDefinition);
    await admin.post('/api/meta/publish');
    const tree = await buildTree(handle());
    const org = organisation(handle());
    await org.role(
      role('owner_only', customerDefinition.id, {
        read: 'own',
        create: 'own',
        update: 'own',
        delete: 'own',
        share: 'own',
        assign: 'own',
      }),
    );
    alice = await org.user('alice', { department: tree.team });
    bob = await org.user('bob', { department: tree.team });
    await org.grant(alice, 'owner_only');
    await org.grant(bob, 'owner_only');
    asAlice = apiClient(handle(), { auth: { token: await tokenFor(handle(), alice.id) } });
    const asBob = apiClient(handle(), { auth: { token: await tokenFor(handle(), bob.id) } });
    bobsRecord = (await asBob.post<StoredRecord>(records(), { name: "Bob's", phone: '1' })).body;
    // every payload stored as a name: filters must find exactly these, as plain text
    for (const name of PAYLOADS) {
      expect((await asAlice.post(records(), { name, batch: 'payloads' })).status).toBe(201);
    }
  });

  it('takes payloads in filter values and search text as plain values', async () => {
    const before = await tablesIntact();
    const started = Date.now();
    for (const payload of PAYLOADS) {
      const exact = await asAlice.get<{ data: StoredRecord[] }>(
        records(`?filter=${q({ field: 'name', op: 'eq', value: payload })}`),
      );
      expect(exact.status).toBe(200);
      expect(exact.body.data.map((r) => r.name)).toEqual([payload]);
      const search = await asAlice.get<{ data: StoredRecord[] }>(
        records(`?filter=${q({ field: 'name', op: 'contains', value: payload })}`),
      );
      expect(search.status).toBe(200);
      expect(
        search.body.data.every((r) => String(r.name).toLowerCase().includes(payload.toLowerCase())),
      ).toBe(true);
      const listed = await asAlice.get<{ data: StoredRecord[] }>(
        records(`?filter=${q({ field: 'phone', op: 'in', value: [payload, "' OR 1=1"] })}`),
      );
      expect(listed.body.data).toEqual([]);
    }
    // no pg_sleep ran: 24 payloads × 3 queries with a 3 s sleep each would take minutes
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await tablesIntact()).toEqual(before);
  });

  it('exports text that a spreadsheet would run as a formula as plain text', async () => {
    const formula = '=HYPERLINK("http://evil.example","x")';
    await admin.post(records(), { name: formula, batch: 'csv' });
    const csv = await admin.get<string>(
      records(`/export?filter=${q({ field: 'batch', op: 'eq', value: 'csv' })}`),
    );
    expect(csv.status).toBe(200);
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
  });

  it('refuses payloads as field names, operators, sort keys, selected fields and cursors', async () => {
    const before = await tablesIntact();
    for (const payload of PAYLOADS) {
      const responses = [
        await asAlice.get(records(`?filter=${q({ field: payload, op: 'eq', value: 'x' })}`)),
        await asAlice.get(records(`?filter=${q({ field: `customer.${payload}`, op: 'eq', value: 'x' })}`)),
        await asAlice.get(records(`?filter=${q({ field: 'name', op: payload, value: 'x' })}`)),
        await asAlice.get(records(`?sort=${encodeURIComponent(payload)}`)),
        await asAlice.get(records(`?sort=${encodeURIComponent(`-name,${payload}`)}`)),
        await asAlice.get(records(`?fields=${encodeURIComponent(`name,${payload}`)}`)),
        await asAlice.get(records(`?cursor=${encodeURIComponent(payload)}`)),
        await asAlice.get(
          records(
            `?cursor=${Buffer.from(JSON.stringify({ sort: '-created_at,-id', after: [payload, payload] })).toString('base64url')}`,
          ),
        ),
        await admin.get(`/api/admin/operation-log?actor=${encodeURIComponent(payload)}`),
        await admin.get(`/api/admin/operation-log?from=${encodeURIComponent(payload)}`),
      ];
      for (const response of responses) expect(response.status, payload).toBe(400);
      // a module filter in the log search is a plain value: nothing matches
      const log = await admin.get<{ data: unknown[] }>(
        `/api/admin/operation-log?module=${encodeURIComponent(payload)}`,
      );
      expect(log.status).toBe(200);
      expect(log.body.data).toEqual([]);
    }
    expect(await tablesIntact()).toEqual(before);
  });

  it('answers payloads in paths as things that do not exist, and refuses them as share principals', async () => {
    const mine = (await asAlice.post<StoredRecord>(records(), { name: 'shared' })).body;
    const before = await tablesIntact();
    for (const payload of PAYLOADS) {
      const segment = encodeURIComponent(payload);
      expect((await asAlice.get(`/api/modules/${segment}/records`)).status).toBe(404);
      expect((await asAlice.get(records(`/${segment}`))).status).toBe(404);
      expect((await asAlice.patch(records(`/${segment}`), { name: 'x' })).status).toBe(404);
      expect((await asAlice.delete(records(`/${segment}`))).status).toBe(404);
      expect((await admin.get(`/api/roles/${segment}`)).status).toBe(404);
      const share = await asAlice.post(records(`/${mine.id}/shares`), {
        principalType: 'user',
        principalId: payload,
        access: 'read',
      });
      expect(share.status).toBe(422);
      const type = await asAlice.post(records(`/${mine.id}/shares`), {
        principalType: payload,
        principalId: bob.id,
        access: payload,
      });
      expect(type.status).toBe(422);
      expect((await asAlice.delete(records(`/${mine.id}/shares/user/${segment}`))).status).toBe(404);
      expect((await asAlice.post(records(`/${mine.id}/assign`), { owner: payload })).status).toBe(422);
      const role = await admin.post('/api/roles', { id: payload, label: { en: payload }, modules: {} });
      expect(role.status).toBe(422);
    }
    expect(await tablesIntact()).toEqual(before);
  });

  it("answers another user's record ids with 404, the same as ids that do not exist, and changes nothing", async () => {
    const missing = '0191a2b3-c4d5-7e6f-8a9b-0c1d2e3f4a5b';
    const attempts = (id: string) => [
      () => asAlice.get(records(`/${id}`)),
      () => asAlice.get(records(`/${id}/history`)),
      () => asAlice.get(records(`/${id}/shares`)),
      () => asAlice.patch(records(`/${id}`), { name: 'mine now' }),
      () => asAlice.patch(records(`/${id}`), { owner: alice.id }),
      () => asAlice.delete(records(`/${id}`)),
      () => asAlice.post(records(`/${id}/assign`), { owner: alice.id }),
      () =>
        asAlice.post(records(`/${id}/shares`), {
          principalType: 'user',
          principalId: alice.id,
          access: 'edit',
        }),
      () => asAlice.delete(records(`/${id}/shares/user/${alice.id}`)),
    ];
    const forBob = await Promise.all(attempts(bobsRecord.id).map((attempt) => attempt()));
    const forNobody = await Promise.all(attempts(missing).map((attempt) => attempt()));
    for (const [i, response] of forBob.entries()) {
      expect(response.status, `attempt ${i}`).toBe(404);
      const strip = (body: unknown) =>
        JSON.stringify(body).replaceAll(bobsRecord.id, 'ID').replaceAll(missing, 'ID');
      expect(strip(response.body)).toBe(strip(forNobody[i].body));
    }
    const after = await handle().workspace.records.get('customer', bobsRecord.id, { userId: null });
    expect(after).toMatchObject({ name: "Bob's", owner: bob.id, version: 1 });
    const shares = await handle().workspace.access.shares.list('customer', bobsRecord.id, { userId: null });
    expect(shares).toEqual([]);
    // nor does a filter on the id find it
    const byId = await asAlice.get<{ data: unknown[] }>(
      records(`?filter=${q({ field: 'id', op: 'eq', value: bobsRecord.id })}`),
    );
    expect(byId.body.data).toEqual([]);
  });
});
