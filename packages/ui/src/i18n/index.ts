export { type Formatters, formatters, type Money, useFormatters } from './format.ts';
export {
  addMessages,
  currentLocale,
  i18n,
  initialLocale,
  isLocale,
  LOCALE_NAMES,
  LOCALES,
  type Locale,
  setLocale,
  useLocale,
} from './i18n.ts';
export { type LabelMap, localize, useLocalize } from './localize.ts';
