import { sql } from 'drizzle-orm';
import { EngineError, localizedError, type Problem } from '../../errors.ts';
import { isUuid } from '../../identity/inputs.ts';
import type { Db } from '../../storage/db.ts';
import type { ApproverResolver } from './resolve.ts';
import type { ApprovalTables, Attachment } from './store.ts';

/** The parts every approval action may carry: a comment and attachments (uploaded file ids). */
export interface ActionInput {
  comment: string | null;
  attachments: Attachment[];
  body: Record<string, unknown>;
}

const MAX_COMMENT = 4000;
const MAX_ATTACHMENTS = 20;
const MAX_USERS = 20;

const invalid = (pointer: string, code: string, en: string, zh: string) =>
  localizedError('invalid-input', pointer, code, {
    en: `${pointer.slice(1) || 'body'}: ${en}`,
    'zh-CN': `${pointer.slice(1) || 'body'}：${zh}`,
  });

/** Checks the body of an action; attachments must be complete uploads of the actor (or already on the record). */
export async function readActionInput(
  db: Db,
  T: ApprovalTables,
  input: unknown,
  actor: string | null,
): Promise<ActionInput> {
  const body = input === undefined || input === null ? {} : input;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw invalid('', 'type', 'must be a JSON object', '必须是 JSON 对象');
  }
  const fields = body as Record<string, unknown>;
  const comment = fields.comment;
  if (comment !== undefined && comment !== null && typeof comment !== 'string') {
    throw invalid('/comment', 'type', 'must be text', '必须是文本');
  }
  if (typeof comment === 'string' && comment.length > MAX_COMMENT) {
    throw invalid(
      '/comment',
      'maxLength',
      `must be at most ${MAX_COMMENT} characters`,
      `不能超过 ${MAX_COMMENT} 个字符`,
    );
  }
  const ids = fields.attachments ?? [];
  if (!Array.isArray(ids) || ids.length > MAX_ATTACHMENTS) {
    throw invalid(
      '/attachments',
      'type',
      `must be a list of at most ${MAX_ATTACHMENTS} file ids`,
      `必须是最多 ${MAX_ATTACHMENTS} 个文件 id 的列表`,
    );
  }
  const problems: Problem[] = [];
  ids.forEach((id, index) => {
    if (typeof id !== 'string' || !isUuid(id)) {
      problems.push(problemAt(`/attachments/${index}`, 'format', 'must be a file id', '必须是文件 id'));
    }
  });
  if (problems.length > 0) throw new EngineError('invalid-input', problems[0]?.message ?? '', problems);
  const attachments: Attachment[] = [];
  if (ids.length > 0) {
    const rows = await db.query<{
      id: string;
      name: string;
      size: number | string;
      type: string;
      uploaded_by: string;
      complete: boolean;
    }>(
      sql`SELECT id, name, size, type, uploaded_by, complete FROM ${T.files}
        WHERE id IN (SELECT (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)`,
    );
    (ids as string[]).forEach((id, index) => {
      const row = rows.find((each) => each.id === id.toLowerCase());
      if (!row?.complete || row.uploaded_by !== actor) {
        problems.push(
          problemAt(`/attachments/${index}`, 'not-found', 'no such upload of yours', '没有您上传的该文件'),
        );
        return;
      }
      attachments.push({ id: row.id, name: row.name, size: Number(row.size), type: row.type });
    });
    if (problems.length > 0) throw new EngineError('invalid-input', problems[0]?.message ?? '', problems);
  }
  return {
    comment: typeof comment === 'string' && comment.trim() !== '' ? comment : null,
    attachments,
    body: fields,
  };
}

function problemAt(pointer: string, code: string, en: string, zh: string): Problem {
  const name = pointer.slice(1);
  return {
    pointer,
    code,
    message: `${name}: ${en}`,
    messages: { en: `${name}: ${en}`, 'zh-CN': `${name}：${zh}` },
  };
}

/** One active user named by id or username at `pointer` (`/to`). */
export async function readUser(
  db: Db,
  resolver: ApproverResolver,
  value: unknown,
  pointer: string,
): Promise<string> {
  if (typeof value !== 'string' || value === '') {
    throw invalid(
      pointer,
      'required',
      'must name a user (id or username)',
      '必须指定一个用户（id 或用户名）',
    );
  }
  const [user] = await resolver.activeUsers(db, [value]);
  if (!user)
    throw invalid(pointer, 'unknown-user', `'${value}' is not an active user`, `'${value}' 不是在职用户`);
  return user;
}

/** A non-empty list of active users at `pointer` (`/users`), each named by id or username. */
export async function readUsers(
  db: Db,
  resolver: ApproverResolver,
  value: unknown,
  pointer: string,
): Promise<string[]> {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_USERS) {
    throw invalid(
      pointer,
      'type',
      `must be a list of 1 to ${MAX_USERS} users`,
      `必须是 1 到 ${MAX_USERS} 个用户的列表`,
    );
  }
  const users: string[] = [];
  for (const [index, item] of value.entries()) {
    const user = await readUser(db, resolver, item, `${pointer}/${index}`);
    if (!users.includes(user)) users.push(user);
  }
  return users;
}

export { invalid as invalidInput };
