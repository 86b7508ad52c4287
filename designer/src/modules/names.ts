import { API_NAME_MAX, API_NAME_PATTERN } from '@crm/engine/browser';

/** The engine's rule for module and field names (snake_case ascii). */
export const API_NAME = new RegExp(API_NAME_PATTERN);

/** A name from a label: snake_case ascii, or a fallback with a number when the label has no latin letters. */
export function nameFromLabel(label: string, taken: ReadonlySet<string>, fallback = 'field'): string {
  const base =
    label
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .replace(/__+/g, '_')
      .replace(/^[0-9_]+/, '')
      .slice(0, API_NAME_MAX - 4) || fallback;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}
