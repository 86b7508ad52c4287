import { useMemo } from 'react';
import { type Locale, useLocale } from './i18n.ts';

export interface Money {
  amount: number | string;
  currency: string;
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let format = cache.get(key);
  if (!format) {
    format = make();
    cache.set(key, format);
  }
  return format as T;
}

/** A calendar date (`2026-03-01`) is a day, not an instant: it is shown as is, whatever the time zone. */
function dateOnly(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
}

/** Locale-aware display of the values records hold. Empty values give ''. */
export function formatters(locale: Locale) {
  const number = (value: number | string | null | undefined, fractionDigits?: number): string => {
    if (value === null || value === undefined || value === '') return '';
    const n = Number(value);
    if (!Number.isFinite(n)) return String(value);
    const format = cached(
      `n|${locale}|${fractionDigits ?? ''}`,
      () =>
        new Intl.NumberFormat(
          locale,
          fractionDigits === undefined
            ? {}
            : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits },
        ),
    );
    return format.format(n);
  };
  return {
    number,
    percent: (value: number | string | null | undefined): string =>
      value === null || value === undefined || value === ''
        ? ''
        : cached(
            `p|${locale}`,
            () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }),
          ).format(Number(value)),
    money: (value: Money | null | undefined): string => {
      if (!value || value.amount === null || value.amount === undefined || value.amount === '') return '';
      const n = Number(value.amount);
      try {
        return cached(
          `m|${locale}|${value.currency}`,
          () => new Intl.NumberFormat(locale, { style: 'currency', currency: value.currency }),
        ).format(n);
      } catch {
        return `${number(n, 2)} ${value.currency}`; // a currency code Intl does not know
      }
    },
    date: (value: string | null | undefined): string => {
      if (!value) return '';
      const day = dateOnly(value);
      const when = day ?? new Date(value);
      if (Number.isNaN(when.getTime())) return value;
      return cached(
        `d|${locale}|${day ? 'utc' : ''}`,
        () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(day ? { timeZone: 'UTC' } : {}) }),
      ).format(when);
    },
    dateTime: (value: string | null | undefined): string => {
      if (!value) return '';
      const when = new Date(value);
      if (Number.isNaN(when.getTime())) return value;
      return cached(
        `dt|${locale}`,
        () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
      ).format(when);
    },
  };
}

export type Formatters = ReturnType<typeof formatters>;

/** The formatters of the current locale. */
export function useFormatters(): Formatters {
  const locale = useLocale();
  return useMemo(() => formatters(locale), [locale]);
}
