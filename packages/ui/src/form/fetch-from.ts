/**
 * `fetchFrom` in the form: a relation picked (or changed) brings the related record's value into
 * the fetched field at once, as the server would on save (records/fetch-from.ts); the user may then
 * overwrite it. Rows are matched by position, so a row whose relation changes fetches again.
 */
import { fetchedValue, type JsonSchema } from '@crm/engine/browser';

type Values = Record<string, unknown>;

export interface FetchSpec {
  field: string;
  relation: string;
  source: string;
  targetModule: string;
}

/** A fetch to run now: `spec` for the record (`row` undefined) or for row `row` of sub-table `subtable`. */
export interface PendingFetch {
  spec: FetchSpec;
  id: string;
  subtable?: string;
  row?: number;
}

function specsIn(entries: JsonSchema): FetchSpec[] {
  const specs: FetchSpec[] = [];
  for (const [name, value] of Object.entries(entries)) {
    if (name.startsWith('ui:')) continue;
    const fetch = (value as JsonSchema)['ui:fetchFrom'] as { relation: string; field: string } | undefined;
    const relation = fetch && (entries[fetch.relation] as JsonSchema | undefined);
    const targetModule = (relation?.['ui:options'] as { targetModule?: string } | undefined)?.targetModule;
    if (fetch && targetModule)
      specs.push({ field: name, relation: fetch.relation, source: fetch.field, targetModule });
  }
  return specs;
}

/** The fetched fields of the form, of the record and per sub-table; empty when it has none. */
export function fetchSpecs(uiSchema: JsonSchema): { top: FetchSpec[]; rows: Record<string, FetchSpec[]> } {
  const rows: Record<string, FetchSpec[]> = {};
  for (const [name, value] of Object.entries(uiSchema)) {
    const items = !name.startsWith('ui:')
      ? ((value as JsonSchema).items as JsonSchema | undefined)
      : undefined;
    const specs = items ? specsIn(items) : [];
    if (specs.length > 0) rows[name] = specs;
  }
  return { top: specsIn(uiSchema), rows };
}

function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function changedTo(spec: FetchSpec, before: Values | undefined, after: Values): string | undefined {
  const id = after[spec.relation];
  if (typeof id !== 'string' || id === '' || before?.[spec.relation] === id) return undefined;
  return id;
}

/** The fetches the change from `before` to `after` calls for: relations newly set or changed. */
export function pendingFetches(
  specs: ReturnType<typeof fetchSpecs>,
  before: Values,
  after: Values,
): PendingFetch[] {
  const pending: PendingFetch[] = [];
  for (const spec of specs.top) {
    const id = changedTo(spec, before, after);
    if (id) pending.push({ spec, id });
  }
  for (const [subtable, rowSpecs] of Object.entries(specs.rows)) {
    const rowsBefore = Array.isArray(before[subtable]) ? (before[subtable] as unknown[]) : [];
    const rowsAfter = Array.isArray(after[subtable]) ? (after[subtable] as unknown[]) : [];
    rowsAfter.forEach((row, i) => {
      if (!isPlainObject(row)) return;
      const previous = rowsBefore[i];
      for (const spec of rowSpecs) {
        const id = changedTo(spec, isPlainObject(previous) ? previous : undefined, row);
        if (id) pending.push({ spec, id, subtable, row: i });
      }
    });
  }
  return pending;
}

/** The related value as the fetched field holds it (as the server converts it): money from a number and back. */
/**
 * The values with a fetched value put in place, if the relation still points at the record it was
 * fetched from (the user may have picked another meanwhile); otherwise the values unchanged.
 */
export function withFetched(
  values: Values,
  fetch: PendingFetch,
  value: unknown,
  isMoney: (fetch: PendingFetch) => boolean,
): Values {
  // the form leaves an empty field undefined, not null
  const next = fetchedValue(value, isMoney(fetch)) ?? undefined;
  if (fetch.subtable === undefined || fetch.row === undefined) {
    if (values[fetch.spec.relation] !== fetch.id) return values;
    return { ...values, [fetch.spec.field]: next };
  }
  const rows = values[fetch.subtable];
  if (!Array.isArray(rows)) return values;
  const row = rows[fetch.row];
  if (!isPlainObject(row) || row[fetch.spec.relation] !== fetch.id) return values;
  const changed = [...rows];
  changed[fetch.row] = { ...row, [fetch.spec.field]: next };
  return { ...values, [fetch.subtable]: changed };
}

/** New rows (beyond the rows before) get the sub-table's new-row values where they are empty. */
export function withNewRowValues(
  newRows: Record<string, Values> | undefined,
  before: Values,
  after: Values,
): Values {
  if (!newRows) return after;
  let out = after;
  for (const [subtable, starting] of Object.entries(newRows)) {
    const rows = after[subtable];
    const count = Array.isArray(before[subtable]) ? (before[subtable] as unknown[]).length : 0;
    if (!Array.isArray(rows) || rows.length <= count) continue;
    const filled = rows.map((row, i) => {
      if (i < count || (isPlainObject(row) && row.id !== undefined)) return row;
      const given = isPlainObject(row) ? row : {};
      const missing = Object.fromEntries(Object.entries(starting).filter(([k]) => given[k] === undefined));
      return { ...given, ...missing };
    });
    out = { ...out, [subtable]: filled };
  }
  return out;
}
