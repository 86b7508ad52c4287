/** A record as the API shows it: system fields, then the module's fields (null when empty). */
export type RecordValues = Record<string, unknown>;

export interface StoredRecord extends RecordValues {
  id: string;
  version: number;
  owner: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** A record in the recycle bin: when and by whom it was deleted. */
export interface DeletedRecord extends StoredRecord {
  deleted_at: string;
  deleted_by: string | null;
}

/** How an actor came in: a browser session, a personal API token, or the system itself (CLI, seeds). */
export type ActorVia = 'session' | 'token' | 'system';

/** Who performs an operation; `userId` null for the system itself. */
export interface Actor {
  userId: string | null;
  /** Absent on actors built by engine callers that predate authentication; HTTP always sets it. */
  via?: ActorVia;
  /** The client's address and user agent, as the server saw them (for logs). */
  ip?: string;
  userAgent?: string;
  /** A token's scopes (`records:read` …); absent for sessions and the system, which have them all. */
  scopes?: readonly string[];
}

/** The engine's own actor (CLI import, seeds); the HTTP API never produces it. */
export const SYSTEM_ACTOR: Actor = { userId: null, via: 'system' };

export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
  total?: number;
}

export interface HistoryEntry {
  version: number;
  /**
   * `delete` moves the record to the recycle bin and `restore` takes it out (no field changes);
   * `revert` sets the fields back to an earlier version (`revertedTo`).
   */
  op: 'create' | 'update' | 'delete' | 'restore' | 'revert';
  revertedTo?: number;
  at: string;
  actor: string | null;
  /**
   * Per field: the value before and after (absent `from` on create, absent `to` on delete); a
   * sub-table's change is told row by row in `rows` instead.
   */
  changes: Record<string, { from?: unknown; to?: unknown; rows?: RowChanges }>;
}

/** What changed in a sub-table's rows: rows added and removed (all their values), rows changed (field by field). */
export interface RowChanges {
  added: Record<string, unknown>[];
  changed: {
    id: string;
    position?: { from: number; to: number };
    fields: Record<string, { from: unknown; to: unknown }>;
  }[];
  removed: Record<string, unknown>[];
}

/** What a new record starts with (see `RecordService.newRecordDefaults`). */
export interface NewRecordDefaults {
  values: RecordValues;
  /** Per sub-table: the values a new row starts with (sub-tables whose rows have defaults). */
  rows: Record<string, RecordValues>;
}
