import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO_CONFIGURATION,
  exportConfiguration,
  importConfiguration,
  readPackageFolder,
  readSeedFile,
} from '@crm/cli';
import { SYSTEM_ACTOR } from '@crm/engine';
import { expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';

forEachDatabase('demo configuration', (handle) => {
  it('imports, publishes and seeds the demo package', async () => {
    const { workspace } = handle();
    const result = await importConfiguration(workspace, DEMO_CONFIGURATION, { seed: true });
    expect(result.preview.items.map((i) => `${i.kind}/${i.name}:${i.status}`).sort()).toEqual([
      'modules/contact:added',
      'modules/customer:added',
      'modules/opportunity:added',
      'roles/sales:added',
    ]);
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

  it('exports the demo package as the very files it came from', async () => {
    const { workspace } = handle();
    const dir = await mkdtemp(join(tmpdir(), 'crm-export-'));
    try {
      const written = await exportConfiguration(workspace, dir);
      const original = await readPackageFolder(DEMO_CONFIGURATION);
      expect(written).toHaveLength(Object.keys(original).length);
      expect(await readPackageFolder(dir)).toEqual(original);
      const text = await readFile(join(dir, 'modules', 'customer.json'), 'utf8');
      expect(text).toBe(await readFile(join(DEMO_CONFIGURATION, 'modules', 'customer.json'), 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
