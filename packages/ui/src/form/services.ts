/**
 * What the form's widgets ask the server: records to pick and their titles, people and
 * departments, uploads. An interface so the designer's preview and the runtime app give the same
 * widgets their own client.
 */
import type { FileReference, LocaleText } from '@crm/engine/browser';
import { isLocale } from '../i18n/i18n.ts';
import { localize } from '../i18n/localize.ts';

export interface Choice {
  value: string;
  label: string;
  /** Shown greyed: someone who left, an archived department. */
  inactive?: boolean;
}

export interface FormServices {
  /** Records of `module` whose searchable fields match `query` (all when blank), titled by `titleField`. */
  searchRecords(module: string, titleField: string, query: string): Promise<Choice[]>;
  /** Titles of the records `ids` of `module` (those the user may read). */
  recordTitles(module: string, titleField: string, ids: readonly string[]): Promise<Choice[]>;
  /** The values of `fields` of record `id` of `module`; undefined when the user may not read it. */
  recordValues(
    module: string,
    id: string,
    fields: readonly string[],
  ): Promise<Record<string, unknown> | undefined>;
  searchUsers(query: string): Promise<Choice[]>;
  users(ids: readonly string[]): Promise<Choice[]>;
  searchDepartments(query: string): Promise<Choice[]>;
  departments(ids: readonly string[]): Promise<Choice[]>;
  /** Uploads a file to the record field `field` of `module`; the record then references it by id. */
  upload(module: string, field: string, file: File): Promise<FileReference>;
  /** Where a file is downloaded from. */
  fileUrl(id: string): string;
}

/** The JSON a GET returns; the app's API client provides it (cookies, CSRF, problem+json errors). */
export interface JsonClient {
  get<T>(path: string): Promise<T>;
  /** POSTs the raw bytes with the given headers (uploads stream the body, not multipart). */
  upload<T>(path: string, body: Blob, headers: Record<string, string>): Promise<T>;
}

const PAGE = 20;

function titleOf(record: Record<string, unknown>, titleField: string): string {
  const value = record[titleField];
  return value === null || value === undefined || value === '' ? String(record.id) : String(value);
}

const q = encodeURIComponent;

/** The widgets' services over the REST API. */
export function httpFormServices(client: JsonClient, locale: string): FormServices {
  type Page = { data: Record<string, unknown>[] };
  type Users = { data: { id: string; displayName: string; username: string; active: boolean }[] };
  type Departments = { data: { id: string; name: LocaleText }[] };
  const recordChoices = (page: Page, titleField: string) =>
    page.data.map((r) => ({ value: String(r.id), label: titleOf(r, titleField) }));
  const userChoices = (users: Users) =>
    users.data.map((u) => ({ value: u.id, label: u.displayName || u.username, inactive: !u.active }));
  const departmentChoices = (departments: Departments) =>
    departments.data.map((d) => ({ value: d.id, label: localize(d.name, isLocale(locale) ? locale : 'en') }));
  const fields = (titleField: string) =>
    q(['id', titleField].filter((v, i, a) => a.indexOf(v) === i).join(','));
  return {
    async searchRecords(module, titleField, query) {
      const search = query.trim() ? `&q=${q(query.trim().slice(0, 100))}` : '';
      const page = await client.get<Page>(
        `/api/modules/${q(module)}/records?limit=${PAGE}&fields=${fields(titleField)}${search}`,
      );
      return recordChoices(page, titleField);
    },
    async recordTitles(module, titleField, ids) {
      if (ids.length === 0) return [];
      const filter = q(JSON.stringify({ field: 'id', op: 'in', value: ids }));
      const page = await client.get<Page>(
        `/api/modules/${q(module)}/records?limit=${Math.min(ids.length, 500)}&fields=${fields(titleField)}&filter=${filter}`,
      );
      return recordChoices(page, titleField);
    },
    async recordValues(module, id, wanted) {
      const filter = q(JSON.stringify({ field: 'id', op: 'in', value: [id] }));
      const page = await client.get<Page>(
        `/api/modules/${q(module)}/records?limit=1&fields=${q(['id', ...wanted].join(','))}&filter=${filter}`,
      );
      return page.data[0];
    },
    async searchUsers(query) {
      return userChoices(await client.get<Users>(`/api/org/directory/users?q=${q(query.trim())}`));
    },
    async users(ids) {
      if (ids.length === 0) return [];
      return userChoices(await client.get<Users>(`/api/org/directory/users?ids=${q(ids.join(','))}`));
    },
    async searchDepartments(query) {
      return departmentChoices(
        await client.get<Departments>(`/api/org/directory/departments?q=${q(query.trim())}`),
      );
    },
    async departments(ids) {
      if (ids.length === 0) return [];
      return departmentChoices(
        await client.get<Departments>(`/api/org/directory/departments?ids=${q(ids.join(','))}`),
      );
    },
    async upload(module, field, file) {
      return client.upload<FileReference>(`/api/modules/${q(module)}/fields/${q(field)}/files`, file, {
        'content-type': file.type || 'application/octet-stream',
        'x-file-name': q(file.name),
      });
    },
    fileUrl: (id) => `/api/files/${q(id)}`,
  };
}
