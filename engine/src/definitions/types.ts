/** A text in several languages, e.g. `{ "en": "Customer", "zh-CN": "客户" }`. */
export type LocaleText = Record<string, string>;

export const SUPPORTED_LOCALES = ['en', 'zh-CN'] as const;

/** Every field has these; each field type adds its own settings (see fields/). */
export interface FieldDefinition {
  /** Stable id: survives renames; column and constraint identity hang on it. */
  id: string;
  /** API and column name: snake_case ascii. */
  name: string;
  type: string;
  label: LocaleText;
  help?: LocaleText;
  placeholder?: LocaleText;
  required?: boolean;
  unique?: boolean;
  indexed?: boolean;
  /** Whether keyword search looks at this field (default: yes for text-like types). */
  searchable?: boolean;
  /** Field-type specific settings (maxLength, scale, options, target, expression …). */
  [setting: string]: unknown;
}

export interface RuleDefinition {
  id: string;
  /** FEEL expression that must hold for a record to be valid (null counts as holding, as in SQL CHECK). */
  expression: string;
  /** Optional FEEL condition: the rule applies only when this is true. */
  when?: string;
  message: LocaleText;
  /** Field names the error is reported on; none means the record as a whole. */
  fields?: string[];
}

export interface LayoutSection {
  id: string;
  label?: LocaleText;
  columns?: 1 | 2 | 3 | 4;
  collapsed?: boolean;
  /** Field names in display order. */
  fields: string[];
}

export interface LayoutDefinition {
  sections: LayoutSection[];
}

/** How a module's records are listed (defaults from `listViewOf` for what is left out). */
export interface ListViewDefinition {
  /** Field names shown as the list's columns, in order. */
  columns?: string[];
  /** The default order: field names, `-` for descending (`-amount,name`), as the list API's `sort`. */
  sort?: string;
  /** A single-select field whose options are the columns of the kanban board. */
  kanbanField?: string;
}

export interface ModuleDefinition {
  /** Stable id: survives renames. */
  id: string;
  /** API, URL and table name: snake_case ascii. */
  name: string;
  label: LocaleText;
  pluralLabel?: LocaleText;
  description?: LocaleText;
  icon?: string;
  /** Name of the field that titles a record in lookups and lists. */
  titleField?: string;
  fields: FieldDefinition[];
  rules?: RuleDefinition[];
  layout?: LayoutDefinition;
  listView?: ListViewDefinition;
  /** A customer pool: records without an owner, which users whose role may claim take for themselves. */
  pool?: PoolDefinition;
}

/**
 * The pool of a module: unowned records are in it. A claim makes the claimant the owner, a release
 * (by the owner) puts the record back with a reason; the fields named here record those moves.
 */
export interface PoolDefinition {
  /** At most this many records of the module owned by one person; a further claim is refused. */
  claimLimit?: number;
  /** A date-time field set to the time of a claim. */
  claimedAtField?: string;
  /** A date-time field set to the time the record went back to the pool. */
  returnedAtField?: string;
  /** A single-select field holding why the record is in the pool (the release's reason). */
  reasonField?: string;
  /** The option of `reasonField` a release writes when none is given. */
  releaseReason?: string;
}

/** A module as stored: its draft and its published versions. */
export interface ModuleSummary {
  id: string;
  name: string;
  label: LocaleText;
  publishedVersion: number | null;
  hasDraft: boolean;
  archived: boolean;
}
