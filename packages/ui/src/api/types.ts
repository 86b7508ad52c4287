import type { LabelMap } from '../i18n/localize.ts';

/** The signed-in user as /api/auth/me and login describe them. */
export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  locale: string | null;
  isAdmin: boolean;
  departmentId: string | null;
}

export interface SessionInfo {
  user: CurrentUser;
  roles: string[];
  via: 'session' | 'token';
  csrfToken?: string;
}

/** A module as GET /api/meta/modules lists it. */
export interface ModuleSummary {
  id: string;
  name: string;
  label: LabelMap;
  publishedVersion: number | null;
  hasDraft: boolean;
  archived: boolean;
}

/** A page of records (GET /api/modules/{module}/records): `nextCursor` null on the last page. */
export interface RecordPage<R = RecordData> {
  data: R[];
  nextCursor: string | null;
  /** With `count=true`. */
  total?: number;
}

/** A record as the API shows it: system fields, then the module's fields (null when empty). */
export interface RecordData {
  id: string;
  version: number;
  owner: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
  [field: string]: unknown;
}
