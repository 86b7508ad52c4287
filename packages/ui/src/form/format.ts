/** Values as users read them, formatted for their locale. */
import type { JsonSchema } from '@crm/engine/browser';
import { formatters, type Money } from '../i18n/format.ts';
import { isLocale } from '../i18n/i18n.ts';

function isMoney(value: unknown): value is Money {
  return typeof value === 'object' && value !== null && typeof (value as Money).amount === 'number';
}

/**
 * A value that needs no lookup (not a relation, user, department or file), as text: numbers,
 * money, dates, yes/no and option labels in the locale. Empty values give ''.
 */
export function formatPlain(
  value: unknown,
  schema: JsonSchema | undefined,
  ui: JsonSchema | undefined,
  locale: string,
  words: { yes: string; no: string },
): string {
  if (value === null || value === undefined || value === '') return '';
  const format = formatters(isLocale(locale) ? locale : 'en');
  if (isMoney(value)) return format.money({ amount: value.amount, currency: value.currency ?? 'CNY' });
  const widget = ui?.['ui:widget'];
  const kind = (schema?.format ?? (schema?.items as JsonSchema | undefined)?.format) as string | undefined;
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'number') {
    // a percent field holds the number of percent (15 means 15 %)
    const text = format.number(value);
    return widget === 'percent' ? `${text} %` : text;
  }
  const labels = (ui?.['ui:enumNames'] ?? []) as string[];
  const values = ((schema?.enum ?? (schema?.items as JsonSchema | undefined)?.enum ?? []) as unknown[]).map(
    String,
  );
  const label = (v: unknown) => {
    const i = values.indexOf(String(v));
    return i >= 0 && labels[i] ? labels[i] : String(v);
  };
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (typeof value === 'string') {
    if (widget === 'date' || kind === 'date') return format.date(value);
    if (widget === 'datetime' || kind === 'date-time') return format.dateTime(value);
    return label(value);
  }
  return JSON.stringify(value);
}
