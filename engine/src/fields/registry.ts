import type { FieldDefinition, LocaleText, ModuleDefinition } from '../definitions/types.ts';
import type { FeelScope, FeelType } from '../expressions/index.ts';

export type JsonSchema = Record<string, unknown>;

/** A column a field keeps in its module's table: `suffix` '' is the main column, named like the field. */
export interface ColumnSpec {
  suffix: string;
  sqlType: string;
}

/** How a field type takes part in keyword search (see search/). */
export interface SearchSupport {
  /** Searchable unless the field sets `searchable: false` (otherwise only with `searchable: true`). */
  byDefault: boolean;
  /**
   * SQL expressions of the text to index, over the field's quoted main column; IMMUTABLE, since they
   * go into the generated search column (no subqueries, no locale-dependent functions).
   */
  texts(field: FieldDefinition, column: string): string[];
  /** Also index the value's digits, so any part of a phone number finds it however it is written. */
  digits?: boolean;
}

/** Operator families the filter language offers; each field type picks one. */
export type FilterFamily =
  | 'text'
  | 'number'
  | 'date'
  | 'boolean'
  | 'choice'
  | 'multi'
  | 'reference'
  | 'links';

/** What a field type may look up while being checked at publish time. */
export interface FieldCheckContext {
  module: ModuleDefinition;
  /** All modules that will exist after the publish, by id. */
  modules: ReadonlyMap<string, ModuleDefinition>;
  /** The module's fields as FEEL variables, for fields holding expressions. */
  feelScope: FeelScope;
}

/** Why a value is not valid for its field type beyond its JSON Schema (see `FieldType.validate`). */
export interface ValueProblem {
  code: string;
  messages: { en: string; 'zh-CN': string };
}

export interface FieldCheckProblem {
  /** Pointer relative to the field, e.g. '/expression'. */
  pointer: string;
  message: string;
}

/**
 * Everything the platform knows about one field type, declared once: storage, JSON Schema,
 * FEEL type, widget and filtering. Plugins register more through `FieldTypeRegistry.register`.
 */
export interface FieldType {
  type: string;
  label: LocaleText;
  /** JSON Schema of the settings this type adds to a field definition. */
  settings: { properties: Record<string, JsonSchema>; required?: string[] };
  /** The form widget (rjsf `ui:widget`) the browser shows the field with. */
  widget: string;
  /** The list cell renderer a plugin registers in the browser; absent: the built-in display. */
  cell?: string;
  feelType(field: FieldDefinition): FeelType;
  /** Columns in the module's table; none for fields computed at read time. */
  columns(field: FieldDefinition): ColumnSpec[];
  /** JSON Schema of one non-null value, the one forms and the API validate against. */
  valueSchema(field: FieldDefinition): JsonSchema;
  /**
   * The values live in a join table of the field's own (many-to-many links), not in columns of the
   * module's table: `columns()` is empty and the record service reads and writes the links.
   */
  linkTable?: boolean;
  /** Formula-like fields are computed by the engine, never written by users. */
  computed?: boolean;
  filter?: FilterFamily;
  sortable?: boolean;
  /**
   * A validated non-null value as it reads back once stored (rounded to the column's scale, defaults
   * of its parts filled in, one spelling of an instant), so history, no-op detection and formulas
   * see the stored value. Absent means the value is stored as given.
   */
  normalize?(field: FieldDefinition, value: unknown): unknown;
  /**
   * Checks a value its JSON Schema admits against what a schema cannot say (a check digit), on the
   * server at every write; nothing when it is valid.
   */
  validate?(field: FieldDefinition, value: unknown): ValueProblem | undefined;
  /** Column values (in `columns()` order) for a validated non-null value. */
  toColumns?(field: FieldDefinition, value: unknown): unknown[];
  /** The API value from raw column values (in `columns()` order); all-null means null. */
  fromColumns?(field: FieldDefinition, raw: unknown[]): unknown;
  /** Keyword search over this type's values; absent: not searchable. */
  search?: SearchSupport;
  /** Extra checks against the other definitions (targets exist, expressions compile …). */
  check?(field: FieldDefinition, ctx: FieldCheckContext): FieldCheckProblem[];
}

export class FieldTypeRegistry {
  readonly #types = new Map<string, FieldType>();

  register(type: FieldType): this {
    if (this.#types.has(type.type)) throw new Error(`field type '${type.type}' is already registered`);
    this.#types.set(type.type, type);
    return this;
  }

  get(type: string): FieldType | undefined {
    return this.#types.get(type);
  }

  require(type: string): FieldType {
    const found = this.#types.get(type);
    if (!found) throw new Error(`unknown field type '${type}'`);
    return found;
  }

  all(): FieldType[] {
    return [...this.#types.values()];
  }
}
