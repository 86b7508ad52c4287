/** The locales definitions carry labels in; the engine falls back to English for any other. */
import { SUPPORTED_LOCALES } from '@crm/engine';
import { httpProblem } from './problem.ts';

export { SUPPORTED_LOCALES };
export const DEFAULT_LOCALE = 'en';

function supported(tag: string): string | undefined {
  const lower = tag.toLowerCase();
  return (
    SUPPORTED_LOCALES.find((l) => l.toLowerCase() === lower) ??
    SUPPORTED_LOCALES.find((l) => l.split('-')[0].toLowerCase() === lower.split('-')[0])
  );
}

/** The best supported locale of an Accept-Language header (`zh-CN,zh;q=0.9,en;q=0.8`). */
export function negotiateLocale(header: string | undefined): string {
  const ranked = (header ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = supported(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

/** An explicit `?locale=` must be one the platform supports; otherwise the header decides. */
export function requestLocale(query: string | undefined, acceptLanguage: string | undefined): string {
  if (query === undefined) return negotiateLocale(acceptLanguage);
  const locale = SUPPORTED_LOCALES.find((l) => l.toLowerCase() === query.toLowerCase());
  if (!locale) {
    throw httpProblem('invalid-query', '/locale', 'enum', `must be one of: ${SUPPORTED_LOCALES.join(', ')}`);
  }
  return locale;
}
