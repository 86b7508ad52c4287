import { describe, expect, it } from 'vitest';
import type { ModuleDefinition } from '../definitions/types.ts';
import { moduleChanges } from './module-diff.ts';
import { roleChanges } from './role-diff.ts';

const module: ModuleDefinition = {
  id: 'm',
  name: 'deal',
  label: { en: 'Deal' },
  fields: [
    { id: 'a', name: 'title', type: 'text', label: { en: 'Title' } },
    { id: 'b', name: 'amount', type: 'money', label: { en: 'Amount' } },
  ],
  layout: {
    sections: [
      { id: 's1', fields: ['title'] },
      { id: 's2', fields: ['amount'] },
    ],
  },
};

describe('module changes', () => {
  it('reports reordered fields and sections, changed sections and module settings', () => {
    const after: ModuleDefinition = {
      ...module,
      label: { en: 'Opportunity' },
      icon: 'star',
      fields: [module.fields[1], module.fields[0]],
      layout: {
        sections: [
          { id: 's2', fields: ['amount', 'title'] },
          { id: 's1', columns: 2, fields: [] },
        ],
      },
    };
    expect(moduleChanges(module, after).map((c) => c.description.en)).toEqual([
      'Change icon, label',
      'Reorder the fields',
      'Change layout section s2: fields',
      'Change layout section s1: columns, fields',
      'Reorder the layout sections',
    ]);
  });

  it('reports nothing for the same definition', () => {
    expect(moduleChanges(module, structuredClone(module))).toEqual([]);
  });
});

describe('role changes', () => {
  it('names modules, operations, export and field rights in both languages', () => {
    const changes = roleChanges(
      { id: 'r', label: { en: 'R' }, modules: { m: { read: 'own', export: true }, gone: { read: 'all' } } },
      {
        id: 'r',
        label: { en: 'R2' },
        modules: { m: { read: 'all', delete: 'own', fields: { amount: 'none' } } },
      },
      (id) => (id === 'm' ? 'deal' : id),
    );
    expect(changes.map((c) => c.description.en)).toEqual([
      'Change label',
      'gone: read all → none',
      'deal: read own → all',
      'deal: delete none → own',
      'deal: may no longer export',
      'deal.amount: field right default → none',
    ]);
    expect(changes[2].description['zh-CN']).toBe('deal：read own → all');
  });
});
