import type { FieldDefinition } from '../definitions/types.ts';
import type { FieldType } from './registry.ts';
import { mainColumn } from './shared.ts';

/** What a record holds of each attached file; the engine fills name, size and type from the upload. */
export interface FileReference {
  id: string;
  name: string;
  size: number;
  type: string;
}

/** Files one field may hold when `multiple`. */
export const MAX_FILES_PER_FIELD = 50;
/** The largest `maxSize` a definition may set; the server's own cap (CRM_MAX_FILE_SIZE) may be lower. */
export const MAX_FILE_SIZE_SETTING = 4 * 1024 ** 3;
/** A field without `maxSize` takes files up to this size (or the server's cap, if lower). */
export const DEFAULT_MAX_FILE_SIZE = 20 * 1024 ** 2;

export interface FileSettings {
  multiple: boolean;
  maxSize: number;
  /** Allowed types: extensions ('.pdf') and media types ('application/pdf', 'image/*'); empty: any. */
  accept: string[];
}

export function fileSettings(field: FieldDefinition): FileSettings {
  return {
    multiple: field.multiple === true,
    maxSize: typeof field.maxSize === 'number' ? field.maxSize : DEFAULT_MAX_FILE_SIZE,
    accept: Array.isArray(field.accept) ? field.accept.map((a) => String(a).toLowerCase()) : [],
  };
}

function parseReferences(raw: unknown): FileReference[] | null {
  if (raw === null || raw === undefined) return null;
  const list = typeof raw === 'string' ? JSON.parse(raw) : raw;
  return Array.isArray(list) && list.length > 0 ? (list as FileReference[]) : null;
}

/**
 * Attachments: one file, or several with `multiple`. Files are uploaded first (each to its field,
 * which checks size and type) and then referenced by id in the record; see files/ for the rules.
 */
export const fileField: FieldType = {
  type: 'file',
  label: { en: 'Attachments', 'zh-CN': '附件' },
  settings: {
    properties: {
      multiple: { type: 'boolean' },
      maxSize: { type: 'integer', minimum: 1, maximum: MAX_FILE_SIZE_SETTING },
      accept: {
        type: 'array',
        maxItems: 50,
        items: { type: 'string', pattern: '^(\\.[A-Za-z0-9]{1,16}|[A-Za-z]+/(\\*|[A-Za-z0-9.+-]{1,100}))$' },
      },
    },
  },
  widget: 'files',
  feelType: () => 'list',
  columns: mainColumn('jsonb'),
  valueSchema: (field) => ({
    type: 'array',
    maxItems: fileSettings(field).multiple ? MAX_FILES_PER_FIELD : 1,
    items: {
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        name: { type: 'string' },
        size: { type: 'integer' },
        type: { type: 'string' },
      },
      required: ['id'],
      additionalProperties: false,
    },
  }),
  toColumns: (_field, value) => [JSON.stringify(value)],
  fromColumns: (_field, [raw]) => parseReferences(raw),
  sortable: false,
};
