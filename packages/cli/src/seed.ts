import type { LocaleText } from '@crm/engine';
import { EngineError, SYSTEM_ACTOR, type Workspace } from '@crm/engine';

/** One sample record: `key` names it so later values can point at it with `"@key"`. */
export interface SeedRecord {
  module: string;
  key?: string;
  values: Record<string, unknown>;
}

export interface SeedDepartment {
  key: string;
  name: LocaleText;
  /** `"@key"` of a department earlier in the file. */
  parent?: string;
}

export interface SeedUser {
  key: string;
  username: string;
  displayName: string;
  email?: string;
  /** `"@key"` of a department; `manager` of a user earlier in the file. */
  department?: string;
  manager?: string;
  /** Made head of their department (when it has none). */
  head?: boolean;
  /** Role ids given to the user (the package's roles, or roles the workspace has). */
  roles?: string[];
}

/**
 * `seed.json`: sample records, and optionally the people who own them. A plain array is records
 * only. Inside record values (at any depth, so sub-table rows too):
 * - `"@key"` is the id of the department, user or record with that key earlier in the file;
 * - `{ "$find": { "module": "customer", "field": "name", "value": "…" } }` the id of the one live
 *   record with that value (one imported by an earlier package);
 * - `{ "$today": -3 }` the date three days before the import, `{ "$today": -3, "time": "14:30" }`
 *   that moment in the server's time zone: sample data stays as recent as the demo.
 * Departments are matched by name under the same parent and users by username, so a package's seed
 * may name people an earlier package's seed made; they are not changed then.
 */
export interface SeedFile {
  organisation?: { departments?: SeedDepartment[]; users?: SeedUser[] };
  records: SeedRecord[];
}

export function seedFileOf(json: unknown): SeedFile {
  if (Array.isArray(json)) return { records: json as SeedRecord[] };
  const file = json as Partial<SeedFile> | null;
  if (typeof file !== 'object' || file === null || !Array.isArray(file.records)) {
    throw new Error('seed.json must be an array of records or an object with "records"');
  }
  return file as SeedFile;
}

export interface SeedResult {
  records: number;
  users: number;
  departments: number;
}

/** Creates the seed's departments, users and records in order; returns how many of each were made. */
export async function plantSeed(workspace: Workspace, seed: SeedFile, now = new Date()): Promise<SeedResult> {
  const ids = new Map<string, string>();
  const idOf = (ref: string): string => {
    const id = ids.get(ref.slice(1));
    if (!id) throw new Error(`seed.json refers to '${ref}' before it is defined`);
    return id;
  };
  const result: SeedResult = { records: 0, users: 0, departments: 0 };
  const { identity } = workspace;

  const departments = await identity.departments.list();
  for (const department of seed.organisation?.departments ?? []) {
    const parentId = department.parent ? idOf(department.parent) : null;
    const same = departments.find(
      (d) => d.parentId === parentId && JSON.stringify(d.name) === JSON.stringify(department.name),
    );
    const made = same ?? (await identity.departments.create({ name: department.name, parentId }));
    if (!same) result.departments++;
    ids.set(department.key, made.id);
  }

  for (const user of seed.organisation?.users ?? []) {
    const found = await identity.users.findByUsername(user.username);
    const departmentId = user.department ? idOf(user.department) : null;
    const made =
      found ??
      (await identity.users.create({
        username: user.username,
        displayName: user.displayName,
        email: user.email,
        departmentId,
        managerId: user.manager ? idOf(user.manager) : null,
      }));
    ids.set(user.key, made.id);
    if (found) continue;
    result.users++;
    for (const roleId of user.roles ?? []) await identity.roles.assign({ roleId, userId: made.id });
    if (user.head && departmentId) {
      const department = await identity.departments.get(departmentId);
      if (!department.headId) await identity.departments.update(departmentId, { headId: made.id });
    }
  }

  const found = new Map<string, string>();
  const find = async (query: { module: string; field: string; value: unknown }): Promise<string> => {
    const cacheKey = JSON.stringify(query);
    const cached = found.get(cacheKey);
    if (cached) return cached;
    const page = await workspace.records.list(query.module, SYSTEM_ACTOR, {
      filter: { field: query.field, op: 'eq', value: query.value },
      limit: 2,
    });
    if (page.data.length !== 1) {
      throw new Error(
        `seed.json: ${page.data.length === 0 ? 'no' : 'more than one'} ${query.module} record has ${query.field} = ${JSON.stringify(query.value)}`,
      );
    }
    found.set(cacheKey, page.data[0].id);
    return page.data[0].id;
  };
  const resolve = async (value: unknown): Promise<unknown> => {
    if (typeof value === 'string') return value.startsWith('@') ? idOf(value) : value;
    if (Array.isArray(value)) return Promise.all(value.map(resolve));
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    if ('$find' in object) return find(object.$find as { module: string; field: string; value: unknown });
    if ('$today' in object) return relativeDay(now, Number(object.$today), object.time as string | undefined);
    const entries = await Promise.all(Object.entries(object).map(async ([k, v]) => [k, await resolve(v)]));
    return Object.fromEntries(entries);
  };

  const create = async (seedRecord: SeedRecord, index: number) => {
    const values = (await resolve(seedRecord.values)) as Record<string, unknown>;
    try {
      const record = await workspace.records.create(seedRecord.module, values, SYSTEM_ACTOR);
      if (seedRecord.key) ids.set(seedRecord.key, record.id);
    } catch (error) {
      if (error instanceof EngineError)
        error.message = `seed.json record ${index} (${seedRecord.module}): ${error.message}`;
      throw error;
    }
    result.records++;
  };
  for (const wave of waves(seed.records)) {
    for (let i = 0; i < wave.length; i += SEED_CONCURRENCY) {
      await Promise.all(
        wave.slice(i, i + SEED_CONCURRENCY).map(({ record, index }) => create(record, index)),
      );
    }
  }
  return result;
}

/** Records created at once: on PostgreSQL they share connections and batched inserts. */
const SEED_CONCURRENCY = 16;

/**
 * The records in runs that may be created together: consecutive records of one module, none of which
 * refers to a record of the same run (its id is not known before that one is created).
 */
function waves(records: SeedRecord[]): { record: SeedRecord; index: number }[][] {
  const result: { record: SeedRecord; index: number }[][] = [];
  let current: { record: SeedRecord; index: number }[] = [];
  let keys = new Set<string>();
  for (const [index, record] of records.entries()) {
    const first = current[0]?.record;
    if (first && (first.module !== record.module || refersTo(record.values, keys))) {
      result.push(current);
      current = [];
      keys = new Set();
    }
    current.push({ record, index });
    if (record.key) keys.add(record.key);
  }
  if (current.length > 0) result.push(current);
  return result;
}

function refersTo(value: unknown, keys: Set<string>): boolean {
  if (typeof value === 'string') return value.startsWith('@') && keys.has(value.slice(1));
  if (Array.isArray(value)) return value.some((v) => refersTo(v, keys));
  if (typeof value === 'object' && value !== null) return Object.values(value).some((v) => refersTo(v, keys));
  return false;
}

/** The local date `days` from `now` (YYYY-MM-DD), or that day at `time` (HH:MM) as an ISO instant. */
function relativeDay(now: Date, days: number, time?: string): string {
  if (!Number.isInteger(days)) throw new Error('seed.json: $today takes a whole number of days');
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  if (time === undefined) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  }
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new Error(`seed.json: '${time}' is not a time (HH:MM)`);
  day.setHours(Number(match[1]), Number(match[2]));
  return day.toISOString();
}
