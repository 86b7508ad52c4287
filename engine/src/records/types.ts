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

/** Who performs an operation; `userId` null for the system itself. */
export interface Actor {
  userId: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null };

export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
  total?: number;
}

export interface HistoryEntry {
  version: number;
  op: 'create' | 'update' | 'delete';
  at: string;
  actor: string | null;
  /** Per field: the value before and after (absent `from` on create, absent `to` on delete). */
  changes: Record<string, { from?: unknown; to?: unknown }>;
}
