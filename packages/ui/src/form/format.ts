/** Values as users read them, formatted for their locale. */
import type { JsonSchema } from '@crm/engine/browser';

export interface Money {
  amount: number;
  currency?: string;
}

export function isMoney(value: unknown): value is Money {
  return typeof value === 'object' && value !== null && typeof (value as Money).amount === 'number';
}

export function formatNumber(value: number, locale: string, fractionDigits?: number): string {
  return new Intl.NumberFormat(locale, {
    ...(fractionDigits === undefined
      ? {}
      : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }),
  }).format(value);
}

export function formatMoney(value: Money, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: value.currency ?? 'CNY' }).format(
      value.amount,
    );
  } catch {
    return `${formatNumber(value.amount, locale)} ${value.currency ?? ''}`.trim();
  }
}

export function formatDate(value: string, locale: string): string {
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, d),
  );
}

export function formatDateTime(value: string, locale: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time)
    ? value
    : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(time);
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
  if (isMoney(value)) return formatMoney(value, locale);
  const widget = ui?.['ui:widget'];
  const format = (schema?.format ?? (schema?.items as JsonSchema | undefined)?.format) as string | undefined;
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (typeof value === 'number') {
    const text = formatNumber(value, locale);
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
    if (widget === 'date' || format === 'date') return formatDate(value, locale);
    if (widget === 'datetime' || format === 'date-time') return formatDateTime(value, locale);
    return label(value);
  }
  return JSON.stringify(value);
}
