import type { LocaleText } from '../definitions/types.ts';
import { sameJson } from './canonical-json.ts';

/** One readable difference between what the workspace has and what a package brings. */
export interface PackageChange {
  /** The part that differs: `module`, `field`, `fields`, `rule`, `section`, `layout`, `role`, `permission`, `field-right`. */
  part: string;
  change: 'added' | 'removed' | 'changed' | 'renamed' | 'reordered';
  /** The part's name: a field name, a rule or section id, `module.operation` for a permission. */
  name?: string;
  from?: unknown;
  to?: unknown;
  /** For `changed`: the settings that differ. */
  settings?: string[];
  description: LocaleText;
}

export const text = (en: string, zh: string): LocaleText => ({ en, 'zh-CN': zh });

/** The keys whose values differ between two objects (sorted; `ignore` left out). */
export function changedKeys(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  ignore: string[] = [],
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => !ignore.includes(k) && !sameJson(before[k] ?? null, after[k] ?? null))
    .sort();
}

/** Items of two lists matched by id: those only in `after`, only in `before`, and in both. */
export function matchById<T extends { id: string }>(before: T[], after: T[]) {
  const old = new Map(before.map((item) => [item.id, item]));
  const ids = new Set(after.map((item) => item.id));
  return {
    added: after.filter((item) => !old.has(item.id)),
    removed: before.filter((item) => !ids.has(item.id)),
    kept: after.flatMap((item) => {
      const previous = old.get(item.id);
      return previous ? [{ before: previous, after: item }] : [];
    }),
  };
}

/** Whether the items both lists keep are in a different order. */
export function reordered<T extends { id: string }>(before: T[], after: T[]): boolean {
  const kept = new Set(after.map((item) => item.id));
  const previous = new Set(before.map((item) => item.id));
  const a = before.filter((item) => kept.has(item.id)).map((item) => item.id);
  const b = after.filter((item) => previous.has(item.id)).map((item) => item.id);
  return a.join('\u0000') !== b.join('\u0000');
}
