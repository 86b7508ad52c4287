// The richer data kinds in one record: sub-table rows feeding rollups on another module, many
// relations, an autonumber, changed together in one write, reverted, binned and restored.
import { SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import { beforeAll, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { engineError } from '../../support/errors.ts';
import { product, stockMovement } from '../../support/subtable-fixtures.ts';

const label = (en: string) => ({ en, 'zh-CN': en });

const warehouse = {
  id: 'mod_rt_warehouse',
  name: 'warehouse',
  label: label('Warehouse'),
  fields: [{ id: 'w_name', name: 'name', type: 'text', label: label('Name'), required: true }],
};

/** The fixture's movement, with a number, the warehouses it touches and its lines. */
const movement = {
  ...stockMovement,
  fields: [
    ...stockMovement.fields,
    { id: 'm_no', name: 'number', type: 'autonumber', label: label('Number'), pattern: 'MV-{0000}' },
    {
      id: 'm_warehouses',
      name: 'warehouses',
      type: 'relations',
      label: label('Warehouses'),
      target: warehouse.id,
      inverse: { name: 'movements', label: label('Movements') },
    },
  ],
};

forEachDatabase('richer data together', (handle) => {
  let workspace: Workspace;
  const get = (module: string, id: string) => workspace.records.get(module, id, SYSTEM_ACTOR);

  beforeAll(async () => {
    workspace = handle().workspace;
    for (const definition of [warehouse, product, movement])
      await workspace.definitions.saveDraft(definition);
    await workspace.definitions.publish();
  });

  it('writes rows, links and rollups as one version, and takes them back together', async () => {
    const [north, south] = await Promise.all(
      ['North', 'South'].map((name) => workspace.records.create('warehouse', { name }, SYSTEM_ACTOR)),
    );
    const bolt = await workspace.records.create('product', { name: 'Bolt' }, SYSTEM_ACTOR);
    const created = await workspace.records.create(
      'stock_movement',
      { ref: 'IN-1', warehouses: [north.id], lines: [{ product: bolt.id, quantity: 10 }] },
      SYSTEM_ACTOR,
    );
    expect(created).toMatchObject({ number: 'MV-0001', units: 10, warehouses: [north.id] });
    expect((await get('product', bolt.id)).stock).toBe(10);

    const changed = await workspace.records.update(
      'stock_movement',
      created.id,
      {
        warehouses: [south.id, north.id],
        lines: [
          { product: bolt.id, quantity: 4 },
          { product: bolt.id, quantity: 3 },
        ],
      },
      SYSTEM_ACTOR,
    );
    expect(changed).toMatchObject({
      version: 2,
      units: 7,
      warehouses: [south.id, north.id],
      number: 'MV-0001',
    });
    expect((await get('product', bolt.id)).stock).toBe(7);
    const southMovements = await workspace.records.related('warehouse', south.id, 'movements', SYSTEM_ACTOR);
    expect(southMovements.data.map((r) => r.id)).toEqual([created.id]);

    // a bad row refuses the whole write: links and rollups stay as they were
    const bad = await engineError(
      workspace.records.update(
        'stock_movement',
        created.id,
        { warehouses: [north.id], lines: [{ product: bolt.id, quantity: 0 }] },
        SYSTEM_ACTOR,
      ),
    );
    expect(bad.problems).toMatchObject([{ pointer: '/lines/0/quantity' }]);
    expect(await get('stock_movement', created.id)).toMatchObject({
      version: 2,
      warehouses: [south.id, north.id],
    });

    const reverted = await workspace.records.revert('stock_movement', created.id, 1, SYSTEM_ACTOR);
    expect(reverted).toMatchObject({ version: 3, units: 10, warehouses: [north.id], number: 'MV-0001' });
    expect((await get('product', bolt.id)).stock).toBe(10);

    await workspace.records.delete('stock_movement', created.id, SYSTEM_ACTOR);
    expect((await get('product', bolt.id)).stock).toBe(0);
    expect((await workspace.records.related('warehouse', north.id, 'movements', SYSTEM_ACTOR)).data).toEqual(
      [],
    );
    const restored = await workspace.records.restore('stock_movement', created.id, SYSTEM_ACTOR);
    expect(restored).toMatchObject({ units: 10, warehouses: [north.id], number: 'MV-0001' });
    expect((await get('product', bolt.id)).stock).toBe(10);
  });
});
