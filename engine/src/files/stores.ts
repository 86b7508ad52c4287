import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import type { Db } from '../storage/db.ts';
import { qualified } from '../storage/naming.ts';

export type StorageKind = 'database' | 'folder';

/** Byte range of a file, both ends included. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Where file bytes live. Both stream: no whole file is ever in memory. */
export interface FileStore {
  readonly kind: StorageKind;
  /** Stores the bytes of file `id` as they arrive. */
  write(id: string, bytes: AsyncIterable<Uint8Array>): Promise<void>;
  read(id: string, range: ByteRange): AsyncIterable<Uint8Array>;
  /** Forgets the bytes of these files (those already gone are no error). */
  remove(ids: string[]): Promise<void>;
}

/** Bytes per row of the database store; a range read starts at the row holding its first byte. */
export const CHUNK_SIZE = 256 * 1024;
export const CHUNKS_TABLE = '_file_chunks';

/** Regroups a stream into pieces of exactly `size` bytes (the last one shorter). */
export async function* rechunk(bytes: AsyncIterable<Uint8Array>, size: number): AsyncIterable<Uint8Array> {
  let pending: Uint8Array[] = [];
  let length = 0;
  for await (const piece of bytes) {
    let rest = piece;
    while (length + rest.length >= size) {
      const take = size - length;
      pending.push(rest.subarray(0, take));
      yield Buffer.concat(pending, size);
      rest = rest.subarray(take);
      pending = [];
      length = 0;
    }
    if (rest.length > 0) {
      // a copy: the caller may reuse its buffer
      pending.push(Uint8Array.prototype.slice.call(rest));
      length += rest.length;
    }
  }
  if (length > 0) yield Buffer.concat(pending, length);
}

/** Files in the workspace's database, in rows of CHUNK_SIZE bytes, one row in memory at a time. */
export class DatabaseStore implements FileStore {
  readonly kind = 'database' as const;
  readonly #table;
  /** PGlite converts bytea parameters and results in JavaScript, 5–10× slower than base64 text. */
  readonly #base64: boolean;

  constructor(
    private readonly db: Db,
    schema: string,
  ) {
    this.#table = sql.raw(qualified(schema, CHUNKS_TABLE));
    this.#base64 = db.kind === 'pglite';
  }

  async write(id: string, bytes: AsyncIterable<Uint8Array>): Promise<void> {
    let n = 0;
    for await (const chunk of rechunk(bytes, CHUNK_SIZE)) {
      const data = this.#base64
        ? sql`decode(${Buffer.from(chunk).toString('base64')}, 'base64')`
        : sql`${chunk}`;
      await this.db.run(sql`INSERT INTO ${this.#table} (file_id, n, data) VALUES (${id}, ${n}, ${data})`);
      n++;
    }
  }

  async *read(id: string, range: ByteRange): AsyncIterable<Uint8Array> {
    const last = Math.floor(range.end / CHUNK_SIZE);
    for (let n = Math.floor(range.start / CHUNK_SIZE); n <= last; n++) {
      const [row] = await this.db.query<{ data: Uint8Array | string }>(
        this.#base64
          ? sql`SELECT encode(data, 'base64') AS data FROM ${this.#table} WHERE file_id = ${id} AND n = ${n}`
          : sql`SELECT data FROM ${this.#table} WHERE file_id = ${id} AND n = ${n}`,
      );
      if (!row) throw new Error(`file ${id} is missing its chunk ${n}`);
      const data = typeof row.data === 'string' ? Buffer.from(row.data, 'base64') : row.data;
      const from = n === Math.floor(range.start / CHUNK_SIZE) ? range.start % CHUNK_SIZE : 0;
      const to = n === last ? (range.end % CHUNK_SIZE) + 1 : data.length;
      yield data.subarray(from, to);
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.run(sql`DELETE FROM ${this.#table} WHERE file_id = ANY(${sql.param(ids)}::uuid[])`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Files in a folder (CRM_FILES_DIR), named by their id only (never by anything a user sent), in 256
 * subfolders. Bytes go to `<id>.part` and are renamed once complete.
 */
export class FolderStore implements FileStore {
  readonly kind = 'folder' as const;

  constructor(readonly dir: string) {}

  path(id: string): string {
    if (!UUID.test(id)) throw new Error(`not a file id: '${id}'`);
    return join(this.dir, id.slice(-2), id);
  }

  async write(id: string, bytes: AsyncIterable<Uint8Array>): Promise<void> {
    const path = this.path(id);
    await mkdir(join(this.dir, id.slice(-2)), { recursive: true });
    try {
      await pipeline(
        Readable.from(bytes, { objectMode: false }),
        createWriteStream(`${path}.part`, { flags: 'wx' }),
      );
      await rename(`${path}.part`, path);
    } catch (error) {
      await rm(`${path}.part`, { force: true });
      throw error;
    }
  }

  read(id: string, range: ByteRange): AsyncIterable<Uint8Array> {
    return createReadStream(this.path(id), { start: range.start, end: range.end });
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) {
      await rm(this.path(id), { force: true });
      await rm(`${this.path(id)}.part`, { force: true });
    }
  }
}
