import { sql } from 'drizzle-orm';
import { EngineError, type Problem } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import { UUID } from './literals.ts';

/** The most records one bulk operation takes. */
export const MAX_BULK = 500;

/** What went wrong with one record of a bulk operation. */
export interface BulkFailure {
  id: string;
  /** Its position in the request's `ids`. */
  index: number;
  problems: Problem[];
}

/** `ids` as a bulk operation takes them: 1 to MAX_BULK distinct record ids. */
export function bulkIds(ids: unknown): string[] {
  const fail = (pointer: string, message: string, zh: string): never => {
    throw new EngineError('invalid-input', `${pointer}: ${message}`, [
      { pointer, code: 'invalid-ids', message, messages: { en: message, 'zh-CN': zh } },
    ]);
  };
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BULK) {
    fail('/ids', `must be a list of 1 to ${MAX_BULK} record ids`, `必须是 1 到 ${MAX_BULK} 个记录 ID 的列表`);
  }
  const list = ids as unknown[];
  const seen = new Set<string>();
  list.forEach((id, i) => {
    if (typeof id !== 'string' || !UUID.test(id))
      fail(`/ids/${i}`, 'must be a record id (uuid)', '必须是记录 ID（UUID）');
    if (seen.has(id as string)) fail(`/ids/${i}`, 'is listed twice', '重复出现');
    seen.add(id as string);
  });
  return list as string[];
}

/**
 * Runs `work` for each id in one transaction: all or nothing. Each record runs under a savepoint, so
 * one that fails (even in the database: a unique value) is rolled back alone and the others are still
 * tried; if any failed, everything is rolled back and the error lists each failed record's problems.
 */
export async function runBulk<T>(
  db: Db,
  ids: string[],
  verb: { en: string; zh: string },
  work: (tx: Db, id: string) => Promise<T>,
): Promise<T[]> {
  return db.transaction(async (tx) => {
    const results: T[] = [];
    const failures: BulkFailure[] = [];
    for (const [index, id] of ids.entries()) {
      await tx.run(sql`SAVEPOINT bulk_record`);
      try {
        results.push(await work(tx, id));
        await tx.run(sql`RELEASE SAVEPOINT bulk_record`);
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        await tx.run(sql`ROLLBACK TO SAVEPOINT bulk_record`);
        const problems =
          error.problems.length > 0
            ? error.problems
            : [{ pointer: '', code: error.kind, message: error.message }];
        failures.push({ id, index, problems });
      }
    }
    if (failures.length > 0) throw bulkError(failures, ids.length, verb);
    return results;
  });
}

function bulkError(failures: BulkFailure[], total: number, verb: { en: string; zh: string }): EngineError {
  const problems: Problem[] = failures.flatMap(({ id, index, problems: own }) =>
    own.map((p) => ({
      pointer: `/ids/${index}`,
      code: p.code,
      message: `record ${id}${p.pointer ? ` ${p.pointer}` : ''}: ${p.message}`,
      messages: {
        en: `record ${id}${p.pointer ? ` ${p.pointer}` : ''}: ${p.message}`,
        'zh-CN': `记录 ${id}${p.pointer ? ` ${p.pointer}` : ''}：${p.messages?.['zh-CN'] ?? p.message}`,
      },
    })),
  );
  const message = `${failures.length} of ${total} records could not be ${verb.en}; none was`;
  return new EngineError('invalid-record', message, problems, {
    records: failures,
    messages: {
      en: message,
      'zh-CN': `${total} 条记录中有 ${failures.length} 条无法${verb.zh}，所有记录均未${verb.zh}`,
    },
  });
}
