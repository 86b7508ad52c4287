import { sql } from 'drizzle-orm';
import type { CompiledField, CompiledModule } from '../compile/module.ts';
import { EngineError, type Problem, pointerOf } from '../errors.ts';
import type { FileReference } from '../fields/file.ts';
import type { CreateHook, NewRecord } from '../records/create-hooks.ts';
import type { Actor, RecordValues } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';

export const FILES_TABLE = '_files';

interface FileRow {
  id: string;
  name: string;
  size: string | number;
  type: string;
  field_id: string;
  module_id: string;
  record_id: string | null;
  last_record_id: string | null;
  uploaded_by: string;
  complete: boolean;
}

const fileFieldsOf = new WeakMap<CompiledModule, CompiledField[]>();

/** The module's file fields (looked up once per compiled version: every create asks). */
function fileFields(module: CompiledModule): CompiledField[] {
  let fields = fileFieldsOf.get(module);
  if (!fields) {
    fields = module.fields.filter((f) => f.definition.type === 'file');
    fileFieldsOf.set(module, fields);
  }
  return fields;
}

function idsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String((v as { id: unknown }).id)) : [];
}

/** A file a record lists in one of its file fields. */
interface Claim {
  id: string;
  field: CompiledField;
  recordId: string;
}

function claimsOf(fields: CompiledField[], recordId: string, values: RecordValues): Claim[] {
  return fields.flatMap((field) => idsOf(values[field.name]).map((id) => ({ id, field, recordId })));
}

function unusable(field: string, index: number, en: string, zh: string): Problem {
  return { pointer: pointerOf(field, index), code: 'file', message: en, messages: { en, 'zh-CN': zh } };
}

/**
 * How records reference uploaded files. A record may reference a file uploaded to that field by
 * the same user and not attached to any record yet, one it already holds, or one it held before
 * (reverting to an earlier version). Referencing attaches
 * the file to the record (in the write's transaction, so two records can never claim one file);
 * dropping the reference releases it (cleanup deletes released and never-attached files after a
 * grace period). Purging a record releases its files through a trigger on its table.
 */
export class FileReferences {
  readonly #table;

  constructor(
    schema: string,
    private readonly clock: () => Date,
  ) {
    this.#table = sql.raw(qualified(schema, FILES_TABLE));
  }

  /**
   * Replaces each file field's value with the stored facts of its files (name, size, type as
   * uploaded, whatever the client sent), refusing files the record may not reference.
   */
  async resolve(db: Db, module: CompiledModule, values: RecordValues, actor: Actor, recordId: string) {
    const listed = fileFields(module)
      .map((field) => ({ field, ids: idsOf(values[field.name]) }))
      .filter(({ ids }) => ids.length > 0);
    if (listed.length === 0) return;
    // one query for every file field's files
    const rows = await db.query<FileRow>(
      sql`SELECT id, name, size, type, field_id, module_id, record_id, last_record_id, uploaded_by, complete
          FROM ${this.#table}
          WHERE id = ANY(${sql.param(listed.flatMap(({ ids }) => ids))}::uuid[])`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const problems: Problem[] = [];
    let taken: string | undefined;
    for (const { field, ids } of listed) {
      const references: FileReference[] = [];
      ids.forEach((id, i) => {
        const row = byId.get(id);
        if (ids.indexOf(id) !== i) {
          problems.push(unusable(field.name, i, 'the same file is listed twice', '同一文件重复出现'));
        } else if (row && this.#takenElsewhere(row, module, field, actor, recordId)) {
          // the same conflict a concurrent write meets in sync(): whichever comes first, one answer
          taken ??= field.name;
        } else if (!row || !this.#usable(row, module, field, actor, recordId)) {
          problems.push(
            unusable(
              field.name,
              i,
              'no file uploaded by you to this field and not attached to another record has this id',
              '没有该编号的、由您上传到此字段且未被其他记录使用的文件',
            ),
          );
        } else {
          references.push({ id, name: row.name, size: Number(row.size), type: row.type });
        }
      });
      values[field.name] = references;
    }
    if (problems.length > 0) {
      throw new EngineError('invalid-record', 'the record references files it may not use', problems);
    }
    if (taken) throw fileTaken(taken);
  }

  /** A file the actor uploaded to this field that another record holds now. */
  #takenElsewhere(
    row: FileRow,
    module: CompiledModule,
    field: CompiledField,
    actor: Actor,
    recordId: string,
  ) {
    return (
      row.uploaded_by === actor.userId &&
      row.module_id === module.id &&
      row.field_id === field.definition.id &&
      row.complete &&
      row.record_id !== null &&
      row.record_id !== recordId
    );
  }

  #usable(row: FileRow, module: CompiledModule, field: CompiledField, actor: Actor, recordId: string) {
    if (row.module_id !== module.id || row.field_id !== field.definition.id || !row.complete) return false;
    if (row.record_id !== null) return row.record_id === recordId;
    // a released file can go back to its record (a revert) until cleanup deletes it
    return row.uploaded_by === actor.userId || row.last_record_id === recordId;
  }

  /**
   * Attaches the files the record references now and releases those it referenced before, in the
   * caller's transaction. Fails (to roll the write back) when another write took a file meanwhile.
   */
  async sync(
    tx: Db,
    module: CompiledModule,
    recordId: string,
    values: RecordValues,
    actor: Actor,
    fields?: Set<string>,
  ) {
    const chosen = fileFields(module).filter((f) => !fields || fields.has(f.name));
    if (chosen.length === 0) return;
    const now = this.clock().toISOString();
    const claims = claimsOf(chosen, recordId, values);
    // a file listed under another field than its own fails to attach below, which rolls back
    await tx.run(
      sql`UPDATE ${this.#table} SET record_id = NULL, released_at = ${now}, last_record_id = record_id
          WHERE module_id = ${module.id} AND record_id = ${recordId}
            AND field_id = ANY(${sql.param(chosen.map((f) => f.definition.id))}::text[])
            AND NOT (id = ANY(${sql.param(claims.map((c) => c.id))}::uuid[]))`,
    );
    await this.#attach(tx, module, actor.userId, claims, now);
  }

  /**
   * Attaches files to records in one statement: each to its record, if it was uploaded to that
   * field and is free for it (by `userId`, or released by that record). Fails when one is not
   * (another write took it), naming its field.
   */
  async #attach(tx: Db, module: CompiledModule, userId: string | null, claims: Claim[], now: string) {
    if (claims.length === 0) return;
    const attached = await tx.query<{ field_id: string }>(
      sql`UPDATE ${this.#table} AS f
          SET record_id = w.record_id, attached_at = coalesce(f.attached_at, ${now}), released_at = NULL
          FROM unnest(${sql.param(claims.map((c) => c.id))}::uuid[],
                      ${sql.param(claims.map((c) => c.field.definition.id))}::text[],
                      ${sql.param(claims.map((c) => c.recordId))}::uuid[]) AS w(id, field_id, record_id)
          WHERE f.id = w.id AND f.module_id = ${module.id} AND f.field_id = w.field_id
            AND (f.record_id = w.record_id
              OR (f.record_id IS NULL AND (f.uploaded_by = ${userId} OR f.last_record_id = w.record_id)))
          RETURNING f.field_id`,
    );
    if (attached.length === claims.length) return;
    const counts = new Map<string, number>();
    for (const { field_id } of attached) counts.set(field_id, (counts.get(field_id) ?? 0) + 1);
    for (const { field } of claims) {
      const left = (counts.get(field.definition.id) ?? 0) - 1;
      if (left < 0) throw fileTaken(field.name);
      counts.set(field.definition.id, left);
    }
  }

  /** Attaches new records' files inside their create's transaction (a new record holds none yet). */
  hook = (module: CompiledModule): CreateHook | undefined => {
    const fields = fileFields(module);
    if (fields.length === 0) return undefined;
    return {
      afterInsert: async (tx: Db, _module: CompiledModule, records: NewRecord[]) => {
        const now = this.clock().toISOString();
        const byUser = new Map<string | null, Claim[]>();
        for (const record of records) {
          const claims = byUser.get(record.actor.userId) ?? [];
          claims.push(...claimsOf(fields, record.id, record.values));
          byUser.set(record.actor.userId, claims);
        }
        for (const [userId, claims] of byUser) await this.#attach(tx, module, userId, claims, now);
      },
    };
  };

  /** Whether a write with these changes touches file references. */
  touches(module: CompiledModule, changes: Record<string, unknown>): boolean {
    return fileFields(module).some((f) => f.name in changes);
  }
}

function fileTaken(fieldName: string): EngineError {
  const message = 'a file is attached to another record';
  return new EngineError('conflict', `${fieldName}: ${message}`, [
    {
      pointer: pointerOf(fieldName),
      code: 'file',
      message,
      messages: { en: message, 'zh-CN': '文件已被其他记录使用' },
    },
  ]);
}
