/**
 * The vocabulary of permissions: six operations on a module's records, each granted within a
 * scope of record owners, and per-field read/write rights.
 */
export const OPERATIONS = ['read', 'create', 'update', 'delete', 'share', 'assign'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Whose records: the actor's own, their department's, their department's and below, everyone's. */
export const SCOPES = ['own', 'department', 'department_tree', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export const FIELD_RIGHTS = ['none', 'read', 'write'] as const;
export type FieldRight = (typeof FIELD_RIGHTS)[number];

/** The broader of two scopes (null grants nothing). */
export function widerScope(a: Scope | null, b: Scope | null): Scope | null {
  if (a === null) return b;
  if (b === null) return a;
  return SCOPES.indexOf(a) >= SCOPES.indexOf(b) ? a : b;
}
