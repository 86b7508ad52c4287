import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CONFIGURATION, exportConfiguration, importConfiguration, readSeedFile } from '@crm/cli';
import { SYSTEM_ACTOR } from '@crm/engine';
import { expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';

forEachDatabase('demo configuration', (handle) => {
  it('imports, publishes and seeds the demo modules', async () => {
    const { workspace } = handle();
    const result = await importConfiguration(workspace, DEMO_CONFIGURATION, { seed: true });
    expect(result.modules.sort()).toEqual(['contact', 'customer', 'opportunity']);
    const seeds = await readSeedFile(DEMO_CONFIGURATION);
    expect(result.records).toBe(seeds.length);

    const customers = await workspace.records.list('customer', SYSTEM_ACTOR, { count: true, limit: 5 });
    expect(customers.total).toBe(seeds.filter((s) => s.module === 'customer').length);
    const withContact = await workspace.records.list('customer', SYSTEM_ACTOR, {
      filter: { field: 'last_contact', op: 'notEmpty' },
      limit: 1,
    });
    expect(typeof withContact.data[0].days_since_contact).toBe('number');

    const won = await workspace.records.list('opportunity', SYSTEM_ACTOR, {
      filter: { field: 'stage', op: 'eq', value: 'won' },
    });
    for (const deal of won.data) {
      const amount = (deal.amount as { amount: number }).amount;
      expect(deal.weighted_amount).toBe(amount);
    }
  });

  it('exports the published definitions as the files they came from', async () => {
    const { workspace } = handle();
    const dir = await mkdtemp(join(tmpdir(), 'crm-export-'));
    try {
      const files = await exportConfiguration(workspace, dir);
      expect(files).toHaveLength(3);
      for (const name of ['customer', 'contact', 'opportunity']) {
        const exported = JSON.parse(await readFile(join(dir, 'modules', `${name}.json`), 'utf8'));
        const original = JSON.parse(
          await readFile(join(DEMO_CONFIGURATION, 'modules', `${name}.json`), 'utf8'),
        );
        expect(exported).toEqual(original);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
