/** Names of the columns every module table has; fields may not take them. */
export const SYSTEM_FIELDS = [
  'id',
  'version',
  'owner',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
] as const;

/** Reserved for features that add columns or API keys later (soft delete, search, …). */
export const RESERVED_NAMES = new Set<string>([
  ...SYSTEM_FIELDS,
  'deleted_at',
  'deleted_by',
  'search',
  'record',
]);

/** snake_case ascii, starting with a letter; `__` is kept for the engine's own column suffixes. */
export const API_NAME_PATTERN = '^(?!.*__)[a-z][a-z0-9_]*[a-z0-9]$|^[a-z]$';
export const API_NAME_MAX = 48;
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
