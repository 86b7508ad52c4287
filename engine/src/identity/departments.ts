import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { LocaleText } from '../definitions/types.ts';
import { EngineError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Db, Row } from '../storage/db.ts';
import { accessChanged, type IdentityContext, lockGraph, nowIso } from './context.ts';
import { checkInput, inputProblem, invalidInput, isUuid } from './inputs.ts';
import type { Department } from './types.ts';

export interface NewDepartment {
  name: LocaleText;
  parentId?: string | null;
  headId?: string | null;
  sort?: number;
}

export interface DepartmentChanges {
  name?: LocaleText;
  headId?: string | null;
  sort?: number;
}

const COLUMNS = sql.raw('id, name, parent_id, path, head_id, sort, archived, created_at, updated_at');

function parsedJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function toDepartment(row: Row): Department {
  return {
    id: row.id as string,
    name: parsedJson(row.name) as LocaleText,
    parentId: (row.parent_id as string | null) ?? null,
    path: row.path as string,
    headId: (row.head_id as string | null) ?? null,
    sort: Number(row.sort),
    archived: row.archived === true,
    createdAt: timestampToIso(row.created_at) as string,
    updatedAt: timestampToIso(row.updated_at) as string,
  };
}

/** The department tree: an unlimited depth, each node knowing its path from the root. */
export class DepartmentService {
  constructor(private readonly ctx: IdentityContext) {}

  async list(options: { includeArchived?: boolean } = {}): Promise<Department[]> {
    const rows = await this.ctx.db.query(
      sql`SELECT ${COLUMNS} FROM ${this.ctx.t.departments}
          ${options.includeArchived ? sql`` : sql`WHERE NOT archived`}
          ORDER BY length(path) - length(replace(path, '/', '')), sort, created_at, id`,
    );
    return rows.map(toDepartment);
  }

  async get(id: string, db: Db = this.ctx.db): Promise<Department> {
    const found = await this.#find(db, id);
    if (!found) throw notFound(`department '${id}'`);
    return found;
  }

  /** The department and every one below it, parents before children. */
  async subtree(id: string): Promise<Department[]> {
    const root = await this.get(id);
    const rows = await this.ctx.db.query(
      sql`SELECT ${COLUMNS} FROM ${this.ctx.t.departments} WHERE path LIKE ${`${root.path}%`}
          ORDER BY length(path), sort, id`,
    );
    return rows.map(toDepartment);
  }

  async create(input: NewDepartment): Promise<Department> {
    const data = checkInput<NewDepartment>('newDepartment', input);
    const id = uuidv7();
    return this.ctx.db.transaction(async (tx) => {
      let parentPath = '/';
      if (data.parentId) {
        await lockGraph(tx, this.ctx, 'departments');
        const parent = await this.#reference(tx, data.parentId, '/parentId');
        parentPath = parent.path;
      }
      if (data.headId) await this.#checkHead(tx, data.headId);
      const now = nowIso(this.ctx);
      const [row] = await tx.query(
        sql`INSERT INTO ${this.ctx.t.departments} (id, name, parent_id, path, head_id, sort, created_at, updated_at)
            VALUES (${id}, ${JSON.stringify(data.name)}::jsonb, ${data.parentId ?? null}, ${`${parentPath}${id}/`},
                    ${data.headId ?? null}, ${data.sort ?? 0}, ${now}, ${now})
            RETURNING ${COLUMNS}`,
      );
      await accessChanged(tx, this.ctx);
      return toDepartment(row);
    });
  }

  /** Renames it, sets its head or its place among its siblings. */
  async update(id: string, input: DepartmentChanges): Promise<Department> {
    const changes = checkInput<DepartmentChanges>('departmentChanges', input);
    return this.ctx.db.transaction(async (tx) => {
      await this.get(id, tx);
      if (changes.headId) await this.#checkHead(tx, changes.headId);
      const sets = [sql`updated_at = ${nowIso(this.ctx)}`];
      if (changes.name !== undefined) sets.push(sql`name = ${JSON.stringify(changes.name)}::jsonb`);
      if (changes.headId !== undefined) sets.push(sql`head_id = ${changes.headId}`);
      if (changes.sort !== undefined) sets.push(sql`sort = ${changes.sort}`);
      const [row] = await tx.query(
        sql`UPDATE ${this.ctx.t.departments} SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING ${COLUMNS}`,
      );
      await accessChanged(tx, this.ctx);
      return toDepartment(row);
    });
  }

  rename(id: string, name: LocaleText): Promise<Department> {
    return this.update(id, { name });
  }

  setHead(id: string, headId: string | null): Promise<Department> {
    return this.update(id, { headId });
  }

  /**
   * Puts the department (with everything below it) under `parentId`, or at the top for null.
   * Every path of the subtree is rewritten by one statement; a move under itself or under one of
   * its own sub-departments is refused.
   */
  async move(id: string, parentId: string | null): Promise<Department> {
    checkInput('move', { parentId });
    return this.ctx.db.transaction(async (tx) => {
      await lockGraph(tx, this.ctx, 'departments');
      const department = await this.get(id, tx);
      let parentPath = '/';
      if (parentId !== null) {
        const parent = await this.#reference(tx, parentId, '/parentId');
        if (parent.path.startsWith(department.path)) {
          throw invalidInput([
            inputProblem('/parentId', 'cycle', {
              en: 'a department cannot move under itself or one of its own sub-departments',
              'zh-CN': '部门不能移动到自身或其下级部门之下',
            }),
          ]);
        }
        parentPath = parent.path;
      }
      const newPath = `${parentPath}${id}/`;
      if (newPath === department.path) return department;
      await tx.run(
        sql`UPDATE ${this.ctx.t.departments}
            SET path = ${newPath} || substr(path, ${department.path.length + 1}),
                parent_id = CASE WHEN id = ${id} THEN ${parentId}::uuid ELSE parent_id END,
                updated_at = ${nowIso(this.ctx)}
            WHERE path LIKE ${`${department.path}%`}`,
      );
      await accessChanged(tx, this.ctx);
      return this.get(id, tx);
    });
  }

  /** Hides it from the tree; refused while it has active sub-departments or people. */
  async archive(id: string): Promise<Department> {
    return this.ctx.db.transaction(async (tx) => {
      await lockGraph(tx, this.ctx, 'departments');
      const department = await this.get(id, tx);
      if (department.archived) return department;
      const [{ children, members }] = await tx.query<{ children: number | string; members: number | string }>(
        sql`SELECT
              (SELECT count(*) FROM ${this.ctx.t.departments} WHERE parent_id = ${id} AND NOT archived) AS children,
              (SELECT count(*) FROM ${this.ctx.t.users} WHERE department_id = ${id} AND status = 'active') AS members`,
      );
      if (Number(children) > 0 || Number(members) > 0) {
        const message = `department has ${children} active sub-departments and ${members} active members; move them first`;
        throw new EngineError('conflict', message, [
          {
            pointer: '',
            code: 'not-empty',
            message,
            messages: {
              en: message,
              'zh-CN': `该部门还有 ${children} 个下级部门和 ${members} 名在职成员，请先移走`,
            },
          },
        ]);
      }
      return this.#setArchived(tx, id, true);
    });
  }

  /** Brings an archived department back; refused while its parent is archived. */
  async restore(id: string): Promise<Department> {
    return this.ctx.db.transaction(async (tx) => {
      await lockGraph(tx, this.ctx, 'departments');
      const department = await this.get(id, tx);
      if (department.parentId && (await this.get(department.parentId, tx)).archived) {
        throw new EngineError('conflict', 'its parent department is archived; restore that first');
      }
      return this.#setArchived(tx, id, false);
    });
  }

  async #setArchived(tx: Db, id: string, archived: boolean): Promise<Department> {
    const [row] = await tx.query(
      sql`UPDATE ${this.ctx.t.departments} SET archived = ${archived}, updated_at = ${nowIso(this.ctx)}
          WHERE id = ${id} RETURNING ${COLUMNS}`,
    );
    await accessChanged(tx, this.ctx);
    return toDepartment(row);
  }

  async #find(db: Db, id: string): Promise<Department | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await db.query(sql`SELECT ${COLUMNS} FROM ${this.ctx.t.departments} WHERE id = ${id}`);
    return row ? toDepartment(row) : undefined;
  }

  /** A department named in an input: it must exist and not be archived (a 422 at `pointer` otherwise). */
  async #reference(db: Db, id: string, pointer: string): Promise<Department> {
    const found = await this.#find(db, id);
    if (!found) {
      throw invalidInput([
        inputProblem(pointer, 'not-found', { en: 'no such department', 'zh-CN': '部门不存在' }),
      ]);
    }
    if (found.archived) {
      throw invalidInput([
        inputProblem(pointer, 'archived', { en: 'the department is archived', 'zh-CN': '该部门已归档' }),
      ]);
    }
    return found;
  }

  async #checkHead(db: Db, userId: string): Promise<void> {
    const [row] = await db.query<{ status: string }>(
      sql`SELECT status FROM ${this.ctx.t.users} WHERE id = ${userId}`,
    );
    if (row?.status !== 'active') {
      throw invalidInput([
        inputProblem('/headId', row ? 'left' : 'not-found', {
          en: row ? 'the user has left' : 'no such user',
          'zh-CN': row ? '该用户已离职' : '用户不存在',
        }),
      ]);
    }
  }
}
