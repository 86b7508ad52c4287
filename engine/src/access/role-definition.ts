import type { LocaleText } from '../definitions/types.ts';
import type { FieldRight, Scope } from './rights.ts';

/** What a role grants on one module; an operation left out (or null) is not granted. */
export interface ModuleGrant {
  read?: Scope | null;
  create?: Scope | null;
  update?: Scope | null;
  delete?: Scope | null;
  share?: Scope | null;
  assign?: Scope | null;
  /** Whether the records this role reads may be exported. */
  export?: boolean;
  /** Whether the role may claim records from the module's pool (and so reads the unowned ones). */
  claim?: boolean;
  /**
   * Per field (by name or by id; an id keeps the right across a rename). A field not listed is
   * writable where the role may update or create, readable where it may only read.
   */
  fields?: Record<string, FieldRight>;
}

/** A role: configuration, checked by the role meta-schema. Modules are keyed by module id. */
export interface RoleDefinition {
  id: string;
  label: LocaleText;
  description?: LocaleText;
  modules: Record<string, ModuleGrant>;
}
