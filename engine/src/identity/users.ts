import { type SQL, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { EngineError, localizedError, notFound, type Problem } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Page } from '../records/types.ts';
import { type Db, dbErrorInfo, type Row, SQLSTATE } from '../storage/db.ts';
import type { PasswordAttempts } from './attempts.ts';
import { accessChanged, type IdentityContext, lockGraph, nowIso } from './context.ts';
import { checkInput, inputProblem, invalidInput, isUuid } from './inputs.ts';
import { passwordProblems } from './password-policy.ts';
import type { User } from './types.ts';

export interface NewUser {
  username: string;
  displayName: string;
  password?: string;
  email?: string | null;
  phone?: string | null;
  locale?: string | null;
  isAdmin?: boolean;
  departmentId?: string | null;
  positionId?: string | null;
  managerId?: string | null;
}

export type UserChanges = Partial<Omit<NewUser, 'username' | 'password'>>;

export interface UserQuery {
  departmentId?: string;
  /** With `departmentId`: also the people of every department below it. */
  includeSubDepartments?: boolean;
  status?: 'active' | 'left';
  /** Part of the username, display name or email (case-insensitive). */
  search?: string;
  /** Only these people (ids that are not uuids match nobody). */
  ids?: string[];
  limit?: number;
  cursor?: string;
  count?: boolean;
}

export const MAX_USER_PAGE = 500;

const COLUMNS = sql.raw(
  `id, username, display_name, email, phone, locale, status, is_admin, department_id, position_id, manager_id,
   password_hash IS NOT NULL AS has_password, password_changed_at, failed_logins, locked_until, created_at, updated_at`,
);

function toUser(row: Row): User {
  return {
    id: row.id as string,
    username: row.username as string,
    displayName: row.display_name as string,
    email: (row.email as string | null) ?? null,
    phone: (row.phone as string | null) ?? null,
    locale: (row.locale as string | null) ?? null,
    status: row.status as User['status'],
    isAdmin: row.is_admin === true,
    departmentId: (row.department_id as string | null) ?? null,
    positionId: (row.position_id as string | null) ?? null,
    managerId: (row.manager_id as string | null) ?? null,
    hasPassword: row.has_password === true,
    passwordChangedAt: timestampToIso(row.password_changed_at),
    failedLogins: Number(row.failed_logins),
    lockedUntil: timestampToIso(row.locked_until),
    createdAt: timestampToIso(row.created_at) as string,
    updatedAt: timestampToIso(row.updated_at) as string,
  };
}

/** Usernames are compared and stored in lowercase: `Zhang.Wei` and `zhang.wei` are one account. */
export function normalizeUsername(username: unknown): unknown {
  return typeof username === 'string' ? username.toLowerCase() : username;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function encodeCursor(username: string): string {
  return Buffer.from(username, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (text.length === 0 || text.length > 64) {
    throw new EngineError('invalid-query', 'the cursor is not one this list gave', [
      { pointer: '/cursor', code: 'cursor', message: 'is not a cursor this list gave' },
    ]);
  }
  return text;
}

const wrongPassword = () =>
  invalidInput([
    inputProblem('/currentPassword', 'wrong-password', {
      en: 'is not your current password',
      'zh-CN': '当前密码不正确',
    }),
  ]);

/** The people of the workspace: who they are, where they sit, whom they report to, their password. */
export class UserService {
  constructor(
    private readonly ctx: IdentityContext,
    private readonly attempts: PasswordAttempts,
  ) {}

  async get(id: string, db: Db = this.ctx.db): Promise<User> {
    const [row] = isUuid(id)
      ? await db.query(sql`SELECT ${COLUMNS} FROM ${this.ctx.t.users} WHERE id = ${id}`)
      : [];
    if (!row) throw notFound(`user '${id}'`);
    return toUser(row);
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const [row] = await this.ctx.db.query(
      sql`SELECT ${COLUMNS} FROM ${this.ctx.t.users} WHERE username = ${username.toLowerCase()}`,
    );
    return row ? toUser(row) : undefined;
  }

  /** People by username, a page at a time. */
  async list(query: UserQuery = {}): Promise<Page<User>> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), MAX_USER_PAGE);
    const t = this.ctx.t;
    const where: SQL[] = [];
    if (query.departmentId !== undefined) {
      if (!isUuid(query.departmentId))
        return { data: [], nextCursor: null, ...(query.count ? { total: 0 } : {}) };
      where.push(
        query.includeSubDepartments
          ? sql`department_id IN (SELECT d.id FROM ${t.departments} d, ${t.departments} root
                WHERE root.id = ${query.departmentId} AND d.path LIKE root.path || '%')`
          : sql`department_id = ${query.departmentId}`,
      );
    }
    if (query.status) where.push(sql`status = ${query.status}`);
    if (query.ids !== undefined) {
      const ids = query.ids.filter(isUuid);
      where.push(
        ids.length > 0
          ? sql`id IN (${sql.join(
              ids.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`
          : sql`false`,
      );
    }
    if (query.search) {
      const pattern = likePattern(query.search.toLowerCase());
      where.push(
        sql`(username LIKE ${pattern} OR lower(display_name) LIKE ${pattern} OR lower(coalesce(email, '')) LIKE ${pattern})`,
      );
    }
    const filter = where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``;
    const after = query.cursor
      ? sql`${where.length > 0 ? sql`AND` : sql`WHERE`} username > ${decodeCursor(query.cursor)}`
      : sql``;
    const rows = await this.ctx.db.query(
      sql`SELECT ${COLUMNS} FROM ${t.users} ${filter} ${after} ORDER BY username LIMIT ${limit + 1}`,
    );
    const data = rows.slice(0, limit).map(toUser);
    const page: Page<User> = {
      data,
      nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1].username) : null,
    };
    if (query.count) {
      const [{ total }] = await this.ctx.db.query<{ total: number | string }>(
        sql`SELECT count(*) AS total FROM ${t.users} ${filter}`,
      );
      page.total = Number(total);
    }
    return page;
  }

  /** A new user; `db` lets a caller's transaction (the first admin's) include it. */
  async create(input: NewUser, db: Db = this.ctx.db): Promise<User> {
    const data = checkInput<NewUser>('newUser', { ...input, username: normalizeUsername(input?.username) });
    const policy = (await this.ctx.settings.get(db)).passwordPolicy;
    if (data.password !== undefined) {
      const problems = passwordProblems(data.password, policy, data.username);
      if (problems.length > 0) throw invalidInput(problems);
    }
    const hash = data.password === undefined ? null : await this.ctx.hasher.hash(data.password);
    const id = uuidv7();
    return db.transaction(async (tx) => {
      await this.#checkReferences(tx, data);
      const now = nowIso(this.ctx);
      try {
        const [row] = await tx.query(
          sql`INSERT INTO ${this.ctx.t.users} (id, username, display_name, email, phone, locale, is_admin,
                department_id, position_id, manager_id, password_hash, password_changed_at, created_at, updated_at)
              VALUES (${id}, ${data.username}, ${data.displayName}, ${data.email ?? null}, ${data.phone ?? null},
                ${data.locale ?? null}, ${data.isAdmin ?? false}, ${data.departmentId ?? null}, ${data.positionId ?? null},
                ${data.managerId ?? null}, ${hash}, ${hash ? now : null}, ${now}, ${now})
              RETURNING ${COLUMNS}`,
        );
        await accessChanged(tx, this.ctx);
        return toUser(row);
      } catch (error) {
        if (dbErrorInfo(error)?.code === SQLSTATE.uniqueViolation) throw usernameTaken(data.username);
        throw error;
      }
    });
  }

  /** Changes who they are, where they sit and whom they report to (a manager cycle is refused). */
  async update(id: string, input: UserChanges): Promise<User> {
    const changes = checkInput<UserChanges>('userChanges', input);
    return this.ctx.db.transaction(async (tx) => {
      const user = await this.get(id, tx);
      await this.#checkReferences(tx, changes, id);
      if (changes.isAdmin === false && user.isAdmin) await this.#keepAnAdmin(tx, id);
      const columns: Record<keyof UserChanges, string> = {
        displayName: 'display_name',
        email: 'email',
        phone: 'phone',
        locale: 'locale',
        isAdmin: 'is_admin',
        departmentId: 'department_id',
        positionId: 'position_id',
        managerId: 'manager_id',
      };
      const sets = [sql`updated_at = ${nowIso(this.ctx)}`];
      for (const [key, column] of Object.entries(columns) as [keyof UserChanges, string][]) {
        if (changes[key] !== undefined) sets.push(sql`${sql.identifier(column)} = ${changes[key]}`);
      }
      const [row] = await tx.query(
        sql`UPDATE ${this.ctx.t.users} SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING ${COLUMNS}`,
      );
      await accessChanged(tx, this.ctx);
      return toUser(row);
    });
  }

  /**
   * Marks them as having left: they cannot log in any more, and their sessions and tokens end now.
   * Their records, history and place in others' data stay. The last active admin cannot leave.
   */
  async leave(id: string): Promise<User> {
    return this.ctx.db.transaction(async (tx) => {
      const user = await this.get(id, tx);
      if (user.status === 'left') return user;
      if (user.isAdmin) await this.#keepAnAdmin(tx, id);
      const now = nowIso(this.ctx);
      const [row] = await tx.query(
        sql`UPDATE ${this.ctx.t.users} SET status = 'left', updated_at = ${now} WHERE id = ${id} RETURNING ${COLUMNS}`,
      );
      await tx.run(sql`DELETE FROM ${this.ctx.t.sessions} WHERE user_id = ${id}`);
      await tx.run(
        sql`UPDATE ${this.ctx.t.apiTokens} SET revoked_at = ${now} WHERE user_id = ${id} AND revoked_at IS NULL`,
      );
      await accessChanged(tx, this.ctx);
      return toUser(row);
    });
  }

  /** Takes back someone who left (their old tokens stay revoked). */
  async reinstate(id: string): Promise<User> {
    return this.ctx.db.transaction(async (tx) => {
      await this.get(id, tx);
      const [row] = await tx.query(
        sql`UPDATE ${this.ctx.t.users} SET status = 'active', failed_logins = 0, locked_until = NULL,
              updated_at = ${nowIso(this.ctx)} WHERE id = ${id} RETURNING ${COLUMNS}`,
      );
      await accessChanged(tx, this.ctx);
      return toUser(row);
    });
  }

  /** An admin sets someone's password: it must meet the policy; their sessions end and any lock lifts. */
  async setPassword(id: string, input: { password: string }): Promise<void> {
    const { password } = checkInput<{ password: string }>('newPassword', input);
    const user = await this.get(id);
    await this.#storePassword(user, password, '/password', {});
    await this.attempts.reset(id);
  }

  /**
   * Someone changes their own password, proving they know the current one (wrong guesses count
   * towards the lockout like failed logins). Their other sessions end; `keepSessionHash` stays.
   */
  async changePassword(
    id: string,
    input: { currentPassword: string; newPassword: string },
    options: { keepSessionHash?: string } = {},
  ): Promise<void> {
    const data = checkInput<{ currentPassword: string; newPassword: string }>('passwordChange', input);
    const user = await this.get(id);
    const gate = await this.attempts.begin(id);
    if (!gate.open) {
      throw new EngineError('conflict', `the account is locked; try again in ${gate.retryAfterSeconds} s`, [
        {
          pointer: '',
          code: 'locked',
          message: `locked for ${gate.retryAfterSeconds} s after failed attempts`,
          messages: {
            en: `locked for ${gate.retryAfterSeconds} s after failed attempts`,
            'zh-CN': `多次尝试失败，账号已锁定 ${gate.retryAfterSeconds} 秒`,
          },
        },
      ]);
    }
    const stored = await this.passwordHash(id);
    if (!stored || !(await this.ctx.hasher.verify(stored, data.currentPassword))) throw wrongPassword();
    await this.attempts.succeed(id);
    await this.#storePassword(user, data.newPassword, '/newPassword', options);
  }

  /** Lifts a lockout. */
  async unlock(id: string): Promise<User> {
    await this.get(id);
    await this.attempts.reset(id);
    return this.get(id);
  }

  /** The stored hash, for the login and password checks only. */
  async passwordHash(id: string): Promise<string | null> {
    const [row] = await this.ctx.db.query<{ password_hash: string | null }>(
      sql`SELECT password_hash FROM ${this.ctx.t.users} WHERE id = ${id}`,
    );
    return row?.password_hash ?? null;
  }

  /** Replaces the hash without touching sessions: a rehash with today's parameters after a login. */
  async rehash(id: string, password: string): Promise<void> {
    const hash = await this.ctx.hasher.hash(password);
    await this.ctx.db.run(sql`UPDATE ${this.ctx.t.users} SET password_hash = ${hash} WHERE id = ${id}`);
  }

  async #storePassword(
    user: User,
    password: string,
    pointer: string,
    options: { keepSessionHash?: string },
  ): Promise<void> {
    const policy = (await this.ctx.settings.get()).passwordPolicy;
    const problems = passwordProblems(password, policy, user.username, pointer);
    if (problems.length > 0) throw invalidInput(problems);
    const hash = await this.ctx.hasher.hash(password);
    await this.ctx.db.transaction(async (tx) => {
      const now = nowIso(this.ctx);
      await tx.run(
        sql`UPDATE ${this.ctx.t.users} SET password_hash = ${hash}, password_changed_at = ${now}, updated_at = ${now}
            WHERE id = ${user.id}`,
      );
      await tx.run(
        sql`DELETE FROM ${this.ctx.t.sessions} WHERE user_id = ${user.id}
            ${options.keepSessionHash ? sql`AND id_hash <> ${options.keepSessionHash}` : sql``}`,
      );
    });
  }

  /** Refuses to take away the workspace's last active admin (nobody could administer it after). */
  async #keepAnAdmin(tx: Db, leavingId: string): Promise<void> {
    const admins = await tx.query<{ id: string }>(
      sql`SELECT id FROM ${this.ctx.t.users} WHERE is_admin AND status = 'active' FOR UPDATE`,
    );
    if (admins.every((a) => a.id === leavingId)) {
      const message = 'the workspace needs at least one active admin';
      throw localizedError('conflict', '', 'last-admin', {
        en: message,
        'zh-CN': '工作区至少需要一名在职管理员',
      });
    }
  }

  /** The department, position and manager an input names must exist (and the manager graph stay acyclic). */
  async #checkReferences(tx: Db, data: UserChanges, userId?: string): Promise<void> {
    const t = this.ctx.t;
    const problems: Problem[] = [];
    if (data.departmentId) {
      const [row] = await tx.query<{ archived: boolean }>(
        sql`SELECT archived FROM ${t.departments} WHERE id = ${data.departmentId}`,
      );
      if (!row || row.archived) {
        problems.push(
          inputProblem('/departmentId', row ? 'archived' : 'not-found', {
            en: row ? 'the department is archived' : 'no such department',
            'zh-CN': row ? '该部门已归档' : '部门不存在',
          }),
        );
      }
    }
    if (data.positionId) {
      const [row] = await tx.query(sql`SELECT 1 FROM ${t.positions} WHERE id = ${data.positionId}`);
      if (!row) {
        problems.push(
          inputProblem('/positionId', 'not-found', { en: 'no such position', 'zh-CN': '职位不存在' }),
        );
      }
    }
    if (data.managerId) {
      await lockGraph(tx, this.ctx, 'managers');
      const [row] = await tx.query<{ status: string }>(
        sql`SELECT status FROM ${t.users} WHERE id = ${data.managerId}`,
      );
      if (row?.status !== 'active') {
        problems.push(
          inputProblem('/managerId', row ? 'left' : 'not-found', {
            en: row ? 'the manager has left' : 'no such user',
            'zh-CN': row ? '该上级已离职' : '用户不存在',
          }),
        );
      } else if (
        userId &&
        (data.managerId === userId || (await this.#reportsTo(tx, data.managerId, userId)))
      ) {
        problems.push(
          inputProblem('/managerId', 'cycle', {
            en: 'would make a reporting cycle (the manager reports, directly or not, to this user)',
            'zh-CN': '会形成汇报循环（该上级直接或间接向此用户汇报）',
          }),
        );
      }
    }
    if (problems.length > 0) throw invalidInput(problems);
  }

  /** Whether `userId` is above `someoneId` in the manager graph. */
  async #reportsTo(tx: Db, someoneId: string, userId: string): Promise<boolean> {
    const t = this.ctx.t;
    const [row] = await tx.query(
      sql`WITH RECURSIVE up(id, depth) AS (
            SELECT manager_id, 1 FROM ${t.users} WHERE id = ${someoneId} AND manager_id IS NOT NULL
            UNION ALL
            SELECT u.manager_id, up.depth + 1 FROM up JOIN ${t.users} u ON u.id = up.id
            WHERE u.manager_id IS NOT NULL AND up.depth < 10000)
          SELECT 1 FROM up WHERE id = ${userId} LIMIT 1`,
    );
    return row !== undefined;
  }
}

function usernameTaken(username: string): EngineError {
  const message = `username '${username}' is taken`;
  return localizedError('conflict', '/username', 'exists', {
    en: message,
    'zh-CN': `用户名 '${username}' 已被使用`,
  });
}
