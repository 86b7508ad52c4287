// Small builders for the example definitions: every label in English and Chinese, stable ids made
// from a module prefix and the field's name when the field is first written (they must not change
// afterwards: a rename keeps the id by writing it out).
import type { FieldDefinition, LocaleText, ModuleDefinition, RuleDefinition } from '@crm/engine';

export const t = (en: string, zh: string): LocaleText => ({ en, 'zh-CN': zh });

/** An option: value, English label, Chinese label, optional colour. */
export type Option = [value: string, en: string, zh: string, color?: string];

export function options(list: Option[]) {
  return list.map(([value, en, zh, color]) => ({ value, label: t(en, zh), ...(color ? { color } : {}) }));
}

type Settings = Omit<Partial<FieldDefinition>, 'id' | 'name' | 'type' | 'label'> & Record<string, unknown>;

/** Field builder of one module (or sub-table): `field('name', 'text', t(…), { required: true })`. */
export function fieldsOf(prefix: string) {
  return (name: string, type: string, label: LocaleText, settings: Settings = {}): FieldDefinition => ({
    id: `${prefix}_${name}`,
    name,
    type,
    label,
    ...settings,
  });
}

export const money = (settings: Settings = {}): Settings => ({ currency: 'CNY', min: 0, ...settings });

export function rule(
  id: string,
  expression: string,
  fields: string[],
  en: string,
  zh: string,
  when?: string,
): RuleDefinition {
  return { id, expression, fields, message: t(en, zh), ...(when ? { when } : {}) };
}

export interface SectionSpec {
  id: string;
  label: LocaleText;
  columns?: 1 | 2 | 3 | 4;
  collapsed?: boolean;
  fields: string[];
}

export function module(
  definition: Omit<ModuleDefinition, 'layout'> & { sections: SectionSpec[] },
): ModuleDefinition {
  const { sections, ...rest } = definition;
  return { ...rest, layout: { sections } };
}
