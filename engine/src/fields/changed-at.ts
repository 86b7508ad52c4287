import type { CompiledModule } from '../compile/module.ts';
import type { FieldDefinition } from '../definitions/types.ts';
import type { FieldType } from './registry.ts';
import { isoInstant, mainColumn, timestampToIso } from './shared.ts';

/** The fields whose changes a `changedAt` field records. */
export function watchedFields(field: FieldDefinition): string[] {
  return Array.isArray(field.watch) ? (field.watch as string[]) : [];
}

/**
 * When one of the watched fields last changed (`stage` → when the opportunity entered its stage): set
 * by the engine to the write's time when the record is created and whenever a watched value changes,
 * kept otherwise. Never written by users: a value sent for it is ignored, as for formulas.
 */
export const changedAtField: FieldType = {
  type: 'changedAt',
  label: { en: 'Changed at', 'zh-CN': '变更时间' },
  settings: {
    properties: {
      watch: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        uniqueItems: true,
        items: { $ref: '#/$defs/apiName' },
      },
    },
    required: ['watch'],
  },
  widget: 'readonly',
  computed: true,
  feelType: () => 'date and time',
  columns: mainColumn('timestamptz'),
  valueSchema: () => ({ type: 'string', format: 'date-time', readOnly: true }),
  normalize: (_field, value) => isoInstant(value),
  fromColumns: (_field, [raw]) => timestampToIso(raw),
  filter: 'date',
  sortable: true,
  check: (field, ctx) =>
    watchedFields(field).flatMap((name, i) => {
      const watched = ctx.module.fields.find((f) => f.name === name);
      if (!watched) return [{ pointer: `/watch/${i}`, message: `'${name}' is not a field of this module` }];
      if (['changedAt', 'formula', 'rollup', 'autonumber', 'subtable'].includes(watched.type)) {
        return [
          {
            pointer: `/watch/${i}`,
            message: `'${name}' is a ${watched.type} field: only entered values can be watched`,
          },
        ];
      }
      return [];
    }),
};

/**
 * Sets the module's `changedAt` fields in `values` (as stored from here on): `now` on a create or when
 * a watched value differs from `current`'s, else the stored time.
 */
export function stampChanges(
  module: CompiledModule,
  values: Record<string, unknown>,
  current: Record<string, unknown> | undefined,
  now: unknown,
): void {
  for (const { definition, name } of module.fields) {
    if (definition.type !== changedAtField.type) continue;
    const changed =
      !current ||
      watchedFields(definition).some(
        (w) => JSON.stringify(values[w] ?? null) !== JSON.stringify(current[w] ?? null),
      );
    const value = changed ? now : current[name];
    if (value === null || value === undefined) delete values[name];
    else values[name] = value;
  }
}
