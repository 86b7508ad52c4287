import type { CompiledModule } from '../compile/module.ts';
import { type FieldRight, OPERATIONS, type Operation, type Scope, widerScope } from './rights.ts';
import type { ModuleGrant, RoleDefinition } from './role-definition.ts';

/** Who the scopes are measured from: the user and where they sit in the department tree. */
export interface Subject {
  userId: string;
  departmentId: string | null;
  /** '/<root id>/…/<department id>/', the department's materialized path. */
  departmentPath: string | null;
  /** The user's department and all above it: a share with any of them reaches the user. */
  departmentIds: string[];
  /** Modules with records shared with the user or one of those departments. */
  sharedModules: ReadonlySet<string>;
}

/** Which fields of a module an actor reads and writes (by field name). */
export interface FieldAccess {
  /** True when every field may be read and written. */
  all: boolean;
  readable: ReadonlySet<string>;
  writable: ReadonlySet<string>;
}

const ALL_FIELDS: FieldAccess = { all: true, readable: new Set(), writable: new Set() };

type ModuleScopes = Record<Operation, Scope | null>;

/**
 * What one actor may do: the union of their roles. Unrestricted for admins and the system, empty
 * for users who left or do not exist. Field rights are worked out per module version, on first use.
 */
export class Policy {
  readonly #scopes = new Map<string, ModuleScopes>();
  readonly #exports = new Set<string>();
  readonly #claims = new Set<string>();
  readonly #fields = new WeakMap<CompiledModule, FieldAccess>();

  private constructor(
    /** Null for the system actor. */
    readonly subject: Subject | null,
    readonly unrestricted: boolean,
    /** Nothing at all, not even what is shared with them (users who left, unknown users). */
    readonly denied: boolean,
    private readonly grants: ReadonlyMap<string, ModuleGrant[]>,
  ) {
    for (const [moduleId, list] of grants) {
      const scopes = Object.fromEntries(OPERATIONS.map((op) => [op, null])) as ModuleScopes;
      for (const grant of list) {
        for (const op of OPERATIONS) scopes[op] = widerScope(scopes[op], grant[op] ?? null);
        if (grant.export === true) this.#exports.add(moduleId);
        if (grant.claim === true) this.#claims.add(moduleId);
      }
      this.#scopes.set(moduleId, scopes);
    }
  }

  static unrestricted(subject: Subject | null): Policy {
    return new Policy(subject, true, false, new Map());
  }

  static none(subject: Subject | null): Policy {
    return new Policy(subject, false, true, new Map());
  }

  static of(subject: Subject, roles: RoleDefinition[]): Policy {
    const grants = new Map<string, ModuleGrant[]>();
    for (const role of roles) {
      for (const [moduleId, grant] of Object.entries(role.modules)) {
        const list = grants.get(moduleId) ?? [];
        list.push(grant);
        grants.set(moduleId, list);
      }
    }
    return new Policy(subject, false, false, grants);
  }

  /** The widest scope any role grants for `operation` on the module; null when none does. */
  scope(moduleId: string, operation: Operation): Scope | null {
    if (this.unrestricted) return 'all';
    return this.#scopes.get(moduleId)?.[operation] ?? null;
  }

  mayExport(moduleId: string): boolean {
    return this.unrestricted || (this.scope(moduleId, 'read') !== null && this.#exports.has(moduleId));
  }

  /** Whether the actor may claim records of the module's pool (which also lets them read unowned records). */
  mayClaim(moduleId: string): boolean {
    return this.unrestricted || this.#claims.has(moduleId);
  }

  /** Field rights: each role's (listed, or its default), the widest of them. */
  fields(module: CompiledModule): FieldAccess {
    if (this.unrestricted) return ALL_FIELDS;
    let access = this.#fields.get(module);
    if (!access) {
      access = this.#fieldAccess(module);
      this.#fields.set(module, access);
    }
    return access;
  }

  #fieldAccess(module: CompiledModule): FieldAccess {
    const readable = new Set<string>();
    const writable = new Set<string>();
    const grants = this.grants.get(module.id);
    // No role covers the module: the actor reaches its records only through shares, which show
    // the whole record (an edit share lets them change it).
    if (!grants) return this.denied ? { all: false, readable, writable } : ALL_FIELDS;
    for (const grant of grants) {
      const fallback: FieldRight = grant.update || grant.create ? 'write' : grant.read ? 'read' : 'none';
      const listed = grant.fields ?? {};
      for (const field of module.fields) {
        // own keys only: a field named like an Object.prototype member must not find it
        const right = Object.hasOwn(listed, field.definition.id)
          ? listed[field.definition.id]
          : Object.hasOwn(listed, field.name)
            ? listed[field.name]
            : fallback;
        if (right !== 'none') readable.add(field.name);
        if (right === 'write' && !field.computed) writable.add(field.name);
      }
    }
    return { all: false, readable, writable };
  }
}
