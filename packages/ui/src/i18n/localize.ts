import { useCallback } from 'react';
import { type Locale, useLocale } from './i18n.ts';

/** A definition's label: text per locale (`{ en: 'Customer', 'zh-CN': '客户' }`). */
export type LabelMap = Partial<Record<string, string>>;

/** The label in `locale`, else English, else any text it has, else `fallback`. */
export function localize(label: LabelMap | string | undefined, locale: Locale, fallback = ''): string {
  if (typeof label === 'string') return label;
  if (!label) return fallback;
  return label[locale] ?? label.en ?? Object.values(label).find((text) => text !== undefined) ?? fallback;
}

/** `localize` bound to the current locale. */
export function useLocalize(): (label: LabelMap | string | undefined, fallback?: string) => string {
  const locale = useLocale();
  return useCallback((label, fallback) => localize(label, locale, fallback), [locale]);
}
