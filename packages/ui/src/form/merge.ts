/**
 * Merging after a 409: the record changed on the server since the form loaded it. Fields only the
 * server changed take the server's value, fields only the user changed keep theirs, and fields both
 * changed differently are conflicts the user settles one by one.
 */

export interface ServerChange {
  field: string;
  /** The value when the form loaded the record. */
  base: unknown;
  /** The value in the form now. */
  mine: unknown;
  /** The value on the server now. */
  theirs: unknown;
  /** Both sides changed the field, differently: the user must choose. */
  conflict: boolean;
}

export type Choice = 'mine' | 'theirs';

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** Deep equality of JSON values, empty values alike, object keys in any order. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...keys].every((key) => sameValue(left[key], right[key]));
}

/** The fields the server changed since `base`, each with whether the user changed it too. */
export function serverChanges(
  fields: readonly string[],
  base: Record<string, unknown>,
  mine: Record<string, unknown>,
  theirs: Record<string, unknown>,
): ServerChange[] {
  return fields
    .filter((field) => !sameValue(base[field], theirs[field]))
    .map((field) => ({
      field,
      base: base[field],
      mine: mine[field],
      theirs: theirs[field],
      conflict: !sameValue(base[field], mine[field]) && !sameValue(mine[field], theirs[field]),
    }));
}

/**
 * The form's values after the merge: the server's record, with the user's own changes on top and
 * each conflict as chosen (the user's value unless `choices` says theirs).
 */
export function mergeValues(
  fields: readonly string[],
  base: Record<string, unknown>,
  mine: Record<string, unknown>,
  theirs: Record<string, unknown>,
  choices: Readonly<Record<string, Choice>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...theirs };
  for (const field of fields) {
    const changedByMe = !sameValue(base[field], mine[field]);
    const changedByThem = !sameValue(base[field], theirs[field]);
    if (changedByMe && (!changedByThem || choices[field] !== 'theirs')) merged[field] = mine[field];
  }
  return merged;
}
