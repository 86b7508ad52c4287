import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { AccessControl } from '../access/access-control.ts';
import { forbidden } from '../access/forbidden.ts';
import { accessPredicate } from '../access/predicate.ts';
import type { ModuleCatalog } from '../catalog.ts';
import { EngineError, localizedError, notFound, pointerOf } from '../errors.ts';
import {
  DEFAULT_MAX_FILE_SIZE,
  type FileReference,
  type FileSettings,
  fileSettings,
} from '../fields/file.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';
import { FILES_TABLE } from './references.ts';
import { type ByteRange, DatabaseStore, type FileStore, FolderStore, type StorageKind } from './stores.ts';
import { judgeType, SNIFF_BYTES, servableType } from './types.ts';

export interface FileOptions {
  /** Keep file bytes in this folder (CRM_FILES_DIR); without it, in the database. */
  dir?: string;
  /** The server's cap on any one file, whatever a field allows (CRM_MAX_FILE_SIZE). */
  maxSize?: number;
}

export const DEFAULT_PLATFORM_MAX_SIZE = 100 * 1024 ** 2;
/** The largest attachment of an approval action (a field's default limit). */
export const APPROVAL_ATTACHMENT_MAX_SIZE = DEFAULT_MAX_FILE_SIZE;
/** The module and field id of approval attachments' rows (they belong to no record field). */
const APPROVAL_OWNER = '_approval';
/** Files never attached (or released) are deleted by `cleanup` after this long, by default. */
export const UNATTACHED_GRACE_MS = 24 * 60 * 60 * 1000;

export interface StoredFile extends FileReference {
  sha256: string;
  /** The type to serve the bytes as: the stored type when it is on the safe list, else octet-stream. */
  contentType: string;
  /** Where its bytes are kept. */
  storage: StorageKind;
}

export interface FileDownload {
  file: StoredFile;
  /** The bytes sent (all, or the range asked for). */
  range: ByteRange | undefined;
  body: AsyncIterable<Uint8Array>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A file name as kept: its last path segment, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string | undefined {
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '');
  if (clean.length === 0 || clean === '.' || clean === '..' || clean.length > 255) return undefined;
  return clean;
}

class Refusal extends Error {
  constructor(readonly error: EngineError) {
    super(error.message);
  }
}

/**
 * Uploads and downloads of attachment files. An upload streams through: size and sha256 are
 * counted on the way, the type is judged on the first bytes, and the bytes go to the store as they
 * arrive; past the size limit it stops and nothing stays.
 */
/** Whether `actor` may read file `id` for a reason outside records (an approval's attachment). */
export type ExtraFileReader = (id: string, actor: Actor) => Promise<boolean>;

export class FileService {
  readonly #table;
  #extraReader: ExtraFileReader | undefined;
  /** Approval actions keep their attachments: cleanup leaves files they name. */
  readonly #approvalActions;
  readonly #stores: Partial<Record<StorageKind, FileStore>>;
  readonly #store: FileStore;
  readonly maxSize: number;

  constructor(
    private readonly db: Db,
    private readonly catalog: ModuleCatalog,
    private readonly access: AccessControl,
    options: FileOptions = {},
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.#table = sql.raw(qualified(catalog.schema, FILES_TABLE));
    this.#approvalActions = sql.raw(qualified(catalog.schema, '_wf_approval_actions'));
    const database = new DatabaseStore(db, catalog.schema);
    const folder = options.dir ? new FolderStore(options.dir) : undefined;
    this.#stores = { database, folder };
    this.#store = folder ?? database;
    this.maxSize = options.maxSize ?? DEFAULT_PLATFORM_MAX_SIZE;
  }

  get storage(): StorageKind {
    return this.#store.kind;
  }

  /** The module's file field `fieldName` that the actor may upload to; the largest file it takes. */
  async target(moduleName: string, fieldName: string, actor: Actor) {
    const module = this.catalog.byName(moduleName);
    const field = module.byName.get(fieldName);
    const policy = await this.access.policyOf(actor);
    const fields = policy.fields(module);
    if (field?.definition.type !== 'file' || !(fields.all || fields.readable.has(field.name))) {
      throw notFound(`file field '${fieldName}' of module '${module.name}'`);
    }
    const writes = policy.scope(module.id, 'create') !== null || policy.scope(module.id, 'update') !== null;
    if (!fields.all && !(fields.writable.has(field.name) && writes)) {
      throw forbidden('update', `field ${field.name} of ${module.name} records`);
    }
    return { module, field, maxSize: Math.min(fileSettings(field.definition).maxSize, this.maxSize) };
  }

  /**
   * Stores an upload to a file field: refused (and nothing kept) when the actor may not write the
   * field, when it is larger than the field allows, or when its content is not a type the field
   * accepts or not what its name says.
   */
  async upload(
    target: { module: string; field: string },
    name: string,
    body: AsyncIterable<Uint8Array>,
    actor: Actor,
  ): Promise<FileReference> {
    const { module, field, maxSize } = await this.target(target.module, target.field, actor);
    return this.#receive(
      {
        moduleId: module.id,
        fieldId: field.definition.id,
        pointer: pointerOf(field.name),
        settings: fileSettings(field.definition),
        maxSize,
        limitText: {
          en: `field ${field.name} takes files of at most ${maxSize} bytes`,
          'zh-CN': `字段 ${field.name} 的文件不能超过 ${maxSize} 字节`,
        },
      },
      name,
      body,
      actor,
    );
  }

  /**
   * Stores an attachment for an approval action (any signed-in user; any type whose content matches
   * its name, up to the approval limit). It stays the uploader's alone until an action names it, and
   * is cleaned up like any unattached file if none does.
   */
  async uploadApprovalAttachment(
    name: string,
    body: AsyncIterable<Uint8Array>,
    actor: Actor,
  ): Promise<FileReference> {
    const maxSize = Math.min(APPROVAL_ATTACHMENT_MAX_SIZE, this.maxSize);
    return this.#receive(
      {
        moduleId: APPROVAL_OWNER,
        fieldId: APPROVAL_OWNER,
        pointer: '/file',
        settings: { multiple: false, maxSize, accept: [] },
        maxSize,
        limitText: {
          en: `an approval attachment is at most ${maxSize} bytes`,
          'zh-CN': `审批附件不能超过 ${maxSize} 字节`,
        },
      },
      name,
      body,
      actor,
    );
  }

  /** Streams an upload into the store for `owner` (a record field, or approvals); nothing stays on refusal. */
  async #receive(
    owner: {
      moduleId: string;
      fieldId: string;
      pointer: string;
      settings: FileSettings;
      maxSize: number;
      limitText: { en: string; 'zh-CN': string };
    },
    name: string,
    body: AsyncIterable<Uint8Array>,
    actor: Actor,
  ): Promise<FileReference> {
    const { settings, maxSize, pointer } = owner;
    const fileName = cleanFileName(name);
    if (!fileName) {
      throw localizedError('invalid-input', '/name', 'file-name', {
        en: 'the file needs a name (at most 255 characters, no path)',
        'zh-CN': '文件需要名称（最多 255 个字符，不含路径）',
      });
    }
    if (actor.userId === null) throw forbidden('create', 'files without a user');
    const id = uuidv7();
    const hash = createHash('sha256');
    let size = 0;
    let type = '';
    const tooLarge = () => localizedError('too-large', pointer, 'too-large', owner.limitText);
    // counts, hashes and limits the body; holds back the first bytes until their type is judged
    const measured = async function* (): AsyncIterable<Uint8Array> {
      let head: Uint8Array[] = [];
      let headSize = 0;
      const judge = async () => {
        const sample = Buffer.concat(head, headSize);
        const verdict = await judgeType(fileName, sample, settings);
        if (!verdict.ok)
          throw new Refusal(localizedError('invalid-file', pointer, verdict.reason, verdict.messages));
        type = verdict.type;
        head = [];
        return sample;
      };
      for await (const piece of body) {
        size += piece.length;
        if (size > maxSize) throw new Refusal(tooLarge());
        hash.update(piece);
        if (type) {
          yield piece;
          continue;
        }
        head.push(Uint8Array.prototype.slice.call(piece));
        headSize += piece.length;
        if (headSize >= SNIFF_BYTES) yield await judge();
      }
      if (!type) yield await judge();
    };
    await this.db.run(
      sql`INSERT INTO ${this.#table} (id, name, type, storage, module_id, field_id, uploaded_by, uploaded_at)
          VALUES (${id}, ${fileName}, '', ${this.#store.kind}, ${owner.moduleId}, ${owner.fieldId}, ${actor.userId},
                  ${this.clock().toISOString()})`,
    );
    try {
      await this.#store.write(id, measured());
    } catch (error) {
      await this.#discard(id);
      throw error instanceof Refusal ? error.error : error;
    }
    const sha256 = hash.digest('hex');
    await this.db.run(
      sql`UPDATE ${this.#table} SET size = ${size}, type = ${type}, sha256 = ${sha256}, complete = true WHERE id = ${id}`,
    );
    return { id, name: fileName, size, type };
  }

  async #discard(id: string) {
    await this.db.run(sql`DELETE FROM ${this.#table} WHERE id = ${id}`);
    await this.#store.remove([id]);
  }

  /** A file's facts, if the actor may download it (undefined: to them it does not exist). */
  async get(id: string, actor: Actor): Promise<StoredFile | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row] = await this.db.query<Record<string, unknown>>(
      sql`SELECT id, name, size, type, sha256, storage, module_id, field_id, record_id, uploaded_by FROM ${this.#table}
          WHERE id = ${id} AND complete`,
    );
    if (!row) return undefined;
    if (!(await this.#mayRead(row, actor))) return undefined;
    const type = String(row.type);
    return {
      id: String(row.id),
      name: String(row.name),
      size: Number(row.size),
      type,
      sha256: String(row.sha256),
      contentType: servableType(type),
      storage: row.storage as StorageKind,
    };
  }

  /** Another way to a file (an approval's attachments: for those taking part in the approval). */
  setExtraReader(reader: ExtraFileReader): void {
    this.#extraReader = reader;
  }

  async #mayReadOtherwise(row: Record<string, unknown>, actor: Actor): Promise<boolean> {
    return (
      this.#extraReader !== undefined &&
      actor.userId !== null &&
      (await this.#extraReader(String(row.id), actor))
    );
  }

  /**
   * An attached file is readable by whoever may read its record and field (decided in SQL by the
   * record's access predicate); an unattached one only by its uploader; either also for a reason the
   * extra reader knows (an approval's attachment).
   */
  async #mayRead(row: Record<string, unknown>, actor: Actor): Promise<boolean> {
    return (await this.#mayReadAsRecordFile(row, actor)) || (await this.#mayReadOtherwise(row, actor));
  }

  async #mayReadAsRecordFile(row: Record<string, unknown>, actor: Actor): Promise<boolean> {
    if (row.record_id === null) return actor.userId !== null && row.uploaded_by === actor.userId;
    const module = this.catalog.byId(String(row.module_id));
    const field = module?.fields.find((f) => f.definition.id === row.field_id);
    if (!module || !field) return false;
    const policy = await this.access.policyOf(actor);
    const fields = policy.fields(module);
    if (!fields.all && !fields.readable.has(field.name)) return false;
    const readable = accessPredicate(policy, module.id, 'read', 't', this.access.tables);
    // files of records in the recycle bin: for those who may see the bin (admins)
    const live = policy.unrestricted ? sql`` : sql` AND t.deleted_at IS NULL`;
    const [found] = await this.db.query(
      sql`SELECT 1 AS found FROM ${this.catalog.tableSql(module)} t
          WHERE t.id = ${String(row.record_id)}${live}${readable ? sql` AND ${readable}` : sql``}`,
    );
    return found !== undefined;
  }

  /**
   * The bytes (or the range asked for, both ends included), streamed, of a file `get` gave the
   * actor (it decided whether they may read it).
   */
  download(file: StoredFile, range?: ByteRange): FileDownload {
    const store = this.#stores[file.storage];
    if (!store)
      throw new Error(`file ${file.id} is kept in the ${file.storage} store, which is not configured`);
    if (range && (range.start > range.end || range.end >= file.size)) {
      throw new EngineError('invalid-input', `the range is outside the file's ${file.size} bytes`, [
        { pointer: '/range', code: 'range', message: `must lie within 0-${file.size - 1}` },
      ]);
    }
    const whole = { start: 0, end: file.size - 1 };
    const body = file.size === 0 ? emptyBody() : store.read(file.id, range ?? whole);
    return { file, range, body };
  }

  /**
   * Deletes files not attached to any record (never attached, or released) for longer than
   * `graceMs`; the jobs scheduler runs it. Returns how many it deleted.
   */
  async cleanup(graceMs = UNATTACHED_GRACE_MS): Promise<number> {
    const cutoff = new Date(this.clock().getTime() - graceMs).toISOString();
    const rows = await this.db.query<{ id: string; storage: StorageKind }>(
      sql`DELETE FROM ${this.#table} f WHERE record_id IS NULL AND coalesce(released_at, uploaded_at) < ${cutoff}
          AND NOT EXISTS (SELECT 1 FROM ${this.#approvalActions} a
            WHERE a.attachments @> jsonb_build_array(jsonb_build_object('id', f.id::text)))
          RETURNING id, storage`,
    );
    const inFolder = rows.filter((r) => r.storage === 'folder').map((r) => r.id);
    if (inFolder.length > 0) await this.#stores.folder?.remove(inFolder);
    return rows.length;
  }
}

async function* emptyBody(): AsyncIterable<Uint8Array> {}
