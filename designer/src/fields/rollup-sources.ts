import { useQueries, useQuery } from '@tanstack/react-query';
import { designerApi, type FieldDefinition, type LocaleText, type ModuleDefinition } from '../api.ts';

/** What a rollup can aggregate over: a list of related records, or the rows of one of the module's sub-tables. */
export interface RollupSource {
  /** The `over` setting: an inverse list's name or a sub-table field's name. */
  name: string;
  label: LocaleText | undefined;
  kind: 'records' | 'rows';
  /** The fields of one source record or row, for the aggregated field. */
  fields: FieldDefinition[];
}

const fieldsOf = (field: FieldDefinition): FieldDefinition[] =>
  Array.isArray(field.fields) ? (field.fields as FieldDefinition[]) : [];

/**
 * The sources a rollup of `definition` may name in `over`: its own sub-tables, and the inverse lists
 * of relations pointing at it from any module (a relation inside another module's sub-table rows
 * counts those rows), read from each module's draft, else its published definition.
 */
export function useRollupSources(definition: ModuleDefinition): RollupSource[] {
  const modules = useQuery({ queryKey: ['designer', 'modules'], queryFn: designerApi.modules });
  const states = useQueries({
    queries: (modules.data ?? [])
      .filter((m) => !m.archived)
      .map((m) => ({ queryKey: ['designer', 'module', m.id], queryFn: () => designerApi.module(m.id) })),
  });
  const sources: RollupSource[] = definition.fields
    .filter((f) => f.type === 'subtable')
    .map((f) => ({ name: f.name, label: f.label, kind: 'rows', fields: fieldsOf(f) }));
  const others = states.flatMap((q) => {
    const other = q.data?.draft ?? q.data?.published;
    // the module being edited reads from its unsaved state
    return other ? [other.id === definition.id ? definition : other] : [];
  });
  if (!others.some((m) => m.id === definition.id)) others.push(definition);
  for (const other of others) {
    const inverseOf = (relation: FieldDefinition, fields: FieldDefinition[]) => {
      const inverse = relation.inverse as { name?: string; label?: LocaleText } | undefined;
      if (relation.type !== 'relation' || relation.target !== definition.id || !inverse?.name) return;
      sources.push({ name: inverse.name, label: inverse.label, kind: 'records', fields });
    };
    for (const field of other.fields) {
      inverseOf(field, other.fields);
      if (field.type === 'subtable') for (const row of fieldsOf(field)) inverseOf(row, fieldsOf(field));
    }
  }
  return sources;
}

/** Field types whose values an aggregate can take: numbers for sum and avg, dates too for min and max. */
export function aggregatable(aggregate: unknown, field: FieldDefinition): boolean {
  const numeric =
    ['integer', 'decimal', 'money', 'percent', 'rollup'].includes(field.type) ||
    (field.type === 'formula' && ['number', 'integer', 'decimal'].includes(String(field.resultType)));
  if (aggregate === 'min' || aggregate === 'max') return numeric || ['date', 'datetime'].includes(field.type);
  return numeric;
}
