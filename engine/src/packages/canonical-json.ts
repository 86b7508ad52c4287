/**
 * Keys that lead their object, in this order, so a file reads naturally (a module's id and name
 * before its fields, a field's type before its settings); every other key follows alphabetically.
 */
const LEADING_KEYS = [
  'format',
  'id',
  'name',
  'value',
  'type',
  'version',
  'label',
  'pluralLabel',
  'description',
  'help',
  'placeholder',
  'icon',
  'titleField',
  'required',
  'unique',
  'indexed',
  'read',
  'create',
  'update',
  'delete',
  'share',
  'assign',
  'export',
];
const RANK = new Map(LEADING_KEYS.map((key, i) => [key, i]));

function compareKeys(a: string, b: string): number {
  const ra = RANK.get(a) ?? LEADING_KEYS.length;
  const rb = RANK.get(b) ?? LEADING_KEYS.length;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareKeys(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, ordered(v)]));
}

/**
 * The one text a JSON value is written as in a package: keys in a fixed order (the database
 * returns them in its own), arrays as they are (their order means something), 2-space indent and a
 * final newline. Equal values give equal text, so `git diff` shows only real changes.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(ordered(value), null, 2)}\n`;
}

/** Whether two JSON values are the same (key order aside). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
