import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { uiMessages } from './messages.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** What the language switch shows for each locale, in that locale. */
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

const STORAGE_KEY = 'crm.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled (private mode, sandboxed frame)
  }
}

/** The locale the user chose last, else the browser's (any zh-* is zh-CN), else English. */
export function initialLocale(): Locale {
  const saved = storage()?.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  const preferred = globalThis.navigator?.languages ?? [];
  for (const tag of preferred) {
    if (tag.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (tag.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

/** One i18next instance for the app; apps add their own namespaces with `addMessages`. */
export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  lng: initialLocale(),
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  defaultNS: 'ui',
  ns: ['ui'],
  resources: { en: { ui: uiMessages.en }, 'zh-CN': { ui: uiMessages['zh-CN'] } },
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
});

type Messages = { [key: string]: string | Messages };

/** Registers a namespace of texts in both locales (an app's or a feature's own). */
export function addMessages(namespace: string, messages: Record<Locale, Messages>): void {
  for (const locale of LOCALES) i18n.addResourceBundle(locale, namespace, messages[locale], true, true);
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'en';
}

/** Switches the interface language and remembers it for the next visit. */
export async function setLocale(locale: Locale): Promise<void> {
  storage()?.setItem(STORAGE_KEY, locale);
  if (globalThis.document) document.documentElement.lang = locale;
  await i18n.changeLanguage(locale);
}

/** The current locale, re-rendering when it changes. */
export function useLocale(): Locale {
  const { i18n: instance } = useTranslation();
  return isLocale(instance.language) ? instance.language : 'en';
}
