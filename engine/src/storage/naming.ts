/** Postgres identifiers are cut at 63 bytes; stay under it. */
export const MAX_IDENTIFIER = 63;

export const META_SCHEMA = 'crm_meta';
export const HISTORY_TABLE = '_history';
export const WORKSPACE_ID_PATTERN = /^[a-z][a-z0-9_]{0,29}$/;

export function workspaceSchema(workspaceId: string): string {
  if (!WORKSPACE_ID_PATTERN.test(workspaceId)) throw new Error(`invalid workspace id '${workspaceId}'`);
  return `ws_${workspaceId}`;
}

/** Double-quoted identifier; names are checked by the meta-schema, this is the second line of defence. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.length > MAX_IDENTIFIER || name.includes('\0')) {
    throw new Error(`invalid SQL identifier '${name}'`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** FNV-1a 64-bit: short, stable names that do not change when a module or field is renamed. */
function fnv64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

export type ConstraintKind = 'uq' | 'fk' | 'ix';

/** Constraint and index names hang on the module's and field's stable ids. */
export function constraintName(kind: ConstraintKind, moduleId: string, fieldId: string): string {
  return `${kind}_${fnv64(`${moduleId}/${fieldId}`)}`;
}

/**
 * The join table of a many-relation field: named by the module's and field's stable ids, so renaming
 * either needs no step.
 */
export function linkTableName(moduleId: string, fieldId: string): string {
  return `_links_${fnv64(`${moduleId}/${fieldId}`)}`;
}

/**
 * The path of the owner's department, kept on each record (by the record statements and by triggers
 * on users and departments) so department scopes are a condition on the row itself. `__` keeps it
 * apart from field columns.
 */
export const OWNER_PATH_COLUMN = 'owner__path';

/** The index on a module table's owner (access scopes filter by it). */
export function ownerIndexName(moduleId: string): string {
  return `ix_${moduleId}_owner`.slice(0, MAX_IDENTIFIER);
}

export function archivedColumnName(column: string, version: number): string {
  return `_arch_v${version}_${column}`.slice(0, MAX_IDENTIFIER);
}

const SUBTABLE_PREFIX = 'sub__';

/**
 * The child table of a sub-table field: named after the stable ids, so renaming the module or the
 * field renames nothing. `__` keeps it apart from module tables (module names have no `__`).
 */
export function subtableName(moduleId: string, fieldId: string): string {
  return `${SUBTABLE_PREFIX}${fnv64(`${moduleId}/${fieldId}`)}`;
}

/** Whether `table` is a sub-table's child table (see `subtableName`). */
export function isSubtableName(table: string): boolean {
  return table.startsWith(SUBTABLE_PREFIX);
}

/** The owner of a child field's constraints: the module and the sub-table field, by stable ids. */
export function subtableOwnerId(moduleId: string, fieldId: string): string {
  return `${moduleId}/${fieldId}`;
}

/** A SQL string literal (standard_conforming_strings is on in both databases). */
export function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new Error('a SQL literal cannot hold the NUL character');
  return `'${text.replace(/'/g, "''")}'`;
}

/** Where a type change writes its converted values before they take the field's column name. */
export function conversionColumnName(column: string): string {
  return `_conv_${column}`.slice(0, MAX_IDENTIFIER);
}
