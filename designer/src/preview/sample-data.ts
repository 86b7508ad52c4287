import type { FieldDefinition, ModuleDefinition } from '../api.ts';

/** A plausible value for a field, so a rule or the preview has something to work on. */
function sampleValue(field: FieldDefinition): unknown {
  const options = Array.isArray(field.options) ? (field.options as { value: string }[]) : [];
  switch (field.type) {
    case 'text':
      return field.label?.['zh-CN'] ? `示例${field.label['zh-CN']}` : `Sample ${field.name}`;
    case 'longText':
      return 'Line one\nLine two';
    case 'integer':
      return typeof field.min === 'number' ? Math.max(1, field.min) : 3;
    case 'decimal':
      return 12.5;
    case 'percent':
      return 15;
    case 'money':
      return { amount: 1000, currency: typeof field.currency === 'string' ? field.currency : 'CNY' };
    case 'boolean':
      return true;
    case 'date':
      return new Date().toISOString().slice(0, 10);
    case 'datetime':
      return new Date().toISOString();
    case 'select':
      return options[0]?.value;
    case 'multiSelect':
      return options[0] ? [options[0].value] : undefined;
    case 'email':
      return 'zhang.wei@example.com';
    case 'phone':
      return '+86 138 0013 8000';
    case 'url':
      return 'https://example.com';
    default:
      // relations, people, files, rows and computed fields: nothing to invent
      return undefined;
  }
}

/** Sample values for every field that can have one made up. */
export function sampleRecord(definition: ModuleDefinition): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of definition.fields) {
    const value = sampleValue(field);
    if (value !== undefined) record[field.name] = value;
  }
  return record;
}
