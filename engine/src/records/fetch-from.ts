/**
 * Applies `fetchFrom` on a write: a relation that the write sets or changes (on the record, or on
 * a sub-table row) brings the related record's value into the fetched field, unless the write gives
 * that field itself (the writer's own value wins; a write that leaves the relation as it was fetches
 * nothing, so a value the user overwrote stays). The related record is read with the writer's access:
 * one they may not read, or whose field they may not read, gives nothing.
 */
import type { CompiledField, CompiledModule } from '../compile/module.ts';
import { type FetchFrom, fetchedValue, fetchesOf } from '../definitions/fetch-from.ts';
import type { RecordValues } from './types.ts';

type Values = Record<string, unknown>;

/** Reads a record of module `moduleId` as the writer; undefined when they cannot. */
export type ReadRelated = (moduleId: string, id: string) => Promise<Values | undefined>;

interface Fetch extends FetchFrom {
  target: string;
  type: string;
}

function isPlainObject(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Per compiled field list (a module's or a sub-table's, fixed once compiled): its fetches, read once. */
const fetchCache = new WeakMap<readonly CompiledField[], Fetch[]>();

function fetchesIn(fields: readonly CompiledField[]): Fetch[] {
  let fetches = fetchCache.get(fields);
  if (!fetches) {
    const byName = new Map(fields.map((f) => [f.name, f.definition]));
    fetches = fetchesOf(fields.map((f) => f.definition)).flatMap((fetch) => {
      const relation = byName.get(fetch.relation);
      const field = byName.get(fetch.field);
      if (relation?.type !== 'relation' || !field) return [];
      return [{ ...fetch, target: String(relation.target), type: field.type }];
    });
    fetchCache.set(fields, fetches);
  }
  return fetches;
}

/** Whether the module (or one of its sub-tables) has fetched fields: most have none, and skip all this. */
export function hasFetches(module: CompiledModule): boolean {
  return fetchesIn(module.fields).length > 0 || module.subtables.some((s) => fetchesIn(s.fields).length > 0);
}

function sameId(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** The related value as the fetched field holds it: money from a number, a number from money. */
/**
 * The input with fetched values added where a relation is set or changed and the field is not
 * given. `current` is the stored record on an update.
 */
export async function withFetchedValues(
  module: CompiledModule,
  input: unknown,
  current: RecordValues | undefined,
  read: ReadRelated,
): Promise<unknown> {
  if (!isPlainObject(input) || !hasFetches(module)) return input;
  const cache = new Map<string, Promise<Values | undefined>>();
  const related = (moduleId: string, id: string) => {
    const key = `${moduleId}/${id.toLowerCase()}`;
    let found = cache.get(key);
    if (!found) {
      found = read(moduleId, id);
      cache.set(key, found);
    }
    return found;
  };
  const fill = async (fetches: Fetch[], given: Values, before: Values | undefined): Promise<Values> => {
    let out = given;
    for (const fetch of fetches) {
      const id = given[fetch.relation];
      if (Object.hasOwn(given, fetch.field) || typeof id !== 'string' || id === '') continue;
      if (before && sameId(before[fetch.relation], id)) continue;
      const record = await related(fetch.target, id);
      if (!record || !Object.hasOwn(record, fetch.source)) continue;
      out = { ...out, [fetch.field]: fetchedValue(record[fetch.source], fetch.type === 'money') };
    }
    return out;
  };

  let output = await fill(fetchesIn(module.fields), input, current);
  for (const sub of module.subtables) {
    const fetches = fetchesIn(sub.fields);
    const rows = output[sub.name];
    if (fetches.length === 0 || !Array.isArray(rows)) continue;
    const stored = new Map(
      ((current?.[sub.name] as Values[] | undefined) ?? []).map((row) => [String(row.id), row]),
    );
    const filled = await Promise.all(
      rows.map((row) =>
        isPlainObject(row)
          ? fill(fetches, row, row.id === undefined ? undefined : (stored.get(String(row.id)) ?? {}))
          : row,
      ),
    );
    output = { ...output, [sub.name]: filled };
  }
  return output;
}
