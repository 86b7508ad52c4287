import { SYSTEM_ACTOR } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';

const company = {
  id: 'mod_company',
  name: 'company',
  label: { en: 'Company' },
  fields: [{ id: 'c_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true, unique: true }],
};
const person = {
  id: 'mod_person',
  name: 'person',
  label: { en: 'Person' },
  fields: [
    { id: 'p_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { id: 'p_company', name: 'company', type: 'relation', label: { en: 'Company' }, target: 'mod_company' },
  ],
};

forEachDatabase('creates arriving together', (handle) => {
  beforeAll(async () => {
    const { definitions } = handle().workspace;
    await definitions.saveDraft(company);
    await definitions.saveDraft(person);
    await definitions.publish();
  });

  it('are written together, and one bad record fails alone with its own error', async () => {
    const { records } = handle().workspace;
    const names = ['A', 'B', 'dup', 'C', 'dup', 'D'];
    const outcomes = await Promise.allSettled(
      names.map((name) => records.create('company', { name }, SYSTEM_ACTOR)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({
      kind: 'conflict',
      problems: [{ pointer: '/name', code: 'unique' }],
    });
    const stored = await records.list('company', SYSTEM_ACTOR, { count: true });
    expect(stored.total).toBe(5);
    for (const record of stored.data) {
      expect(await records.history('company', record.id, SYSTEM_ACTOR)).toMatchObject([
        { op: 'create', version: 1 },
      ]);
    }

    const companyId = stored.data[0].id;
    const missing = '01a203af-0000-7000-8000-000000000000';
    const people = await Promise.allSettled(
      [companyId, missing, companyId].map((id, i) =>
        records.create('person', { name: `P${i}`, company: id }, SYSTEM_ACTOR),
      ),
    );
    expect(people.map((p) => p.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((people[1] as PromiseRejectedResult).reason).toMatchObject({
      kind: 'invalid-record',
      problems: [{ pointer: '/company', code: 'relation' }],
    });
    expect((await records.list('person', SYSTEM_ACTOR, { count: true })).total).toBe(2);
    await engineError(records.create('person', { name: 'x', company: missing }, SYSTEM_ACTOR));
  });
});
