import type { ModuleDefinition } from './types.ts';

const TITLE_TYPES = new Set(['text', 'autonumber', 'email', 'phone']);

/** The field that titles a module's records: `titleField`, else its first text-like field, else `id`. */
export function titleFieldOf(module: Pick<ModuleDefinition, 'titleField' | 'fields'>): string {
  return module.titleField ?? module.fields.find((field) => TITLE_TYPES.has(field.type))?.name ?? 'id';
}
