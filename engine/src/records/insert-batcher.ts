/**
 * Coalesces the creates of one module that arrive in the same turn of the event loop into one
 * multi-row statement: one round trip and one commit for many records, where the database and the
 * driver spend most of a create's time. Each record is still written with its history entry in
 * the same statement. If a batch fails (say one record breaks a unique constraint), its records
 * are written one by one, so every caller gets its own result or its own error.
 */
export const MAX_BATCH = 32;

interface Pending<Row> {
  row: Row;
  resolve(): void;
  reject(error: unknown): void;
}

export interface BatchWriter<Key, Row> {
  /** Writes all rows in one statement; all or nothing. */
  many(key: Key, rows: Row[]): Promise<void>;
  /** Writes one row; its error is the caller's to see. */
  one(key: Key, row: Row): Promise<void>;
}

export class InsertBatcher<Key, Row> {
  readonly #queues = new Map<Key, Pending<Row>[]>();

  constructor(private readonly writer: BatchWriter<Key, Row>) {}

  insert(key: Key, row: Row): Promise<void> {
    return new Promise((resolve, reject) => {
      let queue = this.#queues.get(key);
      if (!queue) {
        queue = [];
        this.#queues.set(key, queue);
        // after the I/O of this turn, so requests that arrived together go together
        setImmediate(() => this.#flush(key));
      }
      queue.push({ row, resolve, reject });
    });
  }

  #flush(key: Key): void {
    const queue = this.#queues.get(key) ?? [];
    this.#queues.delete(key);
    for (let start = 0; start < queue.length; start += MAX_BATCH) {
      void this.#write(key, queue.slice(start, start + MAX_BATCH));
    }
  }

  async #write(key: Key, batch: Pending<Row>[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await this.writer.many(
          key,
          batch.map((p) => p.row),
        );
        for (const pending of batch) pending.resolve();
        return;
      } catch {
        // one of them is at fault, or the connection: let each find out on its own
      }
    }
    await Promise.all(batch.map((p) => this.writer.one(key, p.row).then(p.resolve, p.reject)));
  }
}
