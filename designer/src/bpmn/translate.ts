import { MODELER_ZH_CN } from './modeler-zh-cn.ts';

/** bpmn-js's `translate(template, replacements)`: `{name}` in the template is replaced. */
export type Translate = (template: string, replacements?: Record<string, string>) => string;

/** The modeler's texts in `locale` (English is the texts bpmn-js passes in). */
export function translator(locale: string): Translate {
  const table: Readonly<Record<string, string>> = locale === 'zh-CN' ? MODELER_ZH_CN : {};
  return (template, replacements = {}) =>
    (table[template] ?? template).replace(/{([^}]+)}/g, (whole, key: string) => replacements[key] ?? whole);
}

/** A bpmn-js module overriding the `translate` service for the palette, context pad, menus and panel. */
export function translateModule(locale: string) {
  return { translate: ['value', translator(locale)] };
}
