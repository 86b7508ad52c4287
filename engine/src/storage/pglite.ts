import { PGlite, type Transaction, types } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import { bindStatement, type Db, type PreparedStatement, type QueryBuilder, type Row } from './db.ts';

/** Dates and timestamps as Postgres' text, as drizzle reads them, so both paths give the same values. */
const asText = (value: string) => value;
const PARSERS = {
  [types.DATE]: asText,
  [types.TIMESTAMP]: asText,
  [types.TIMESTAMPTZ]: asText,
  [types.INTERVAL]: asText,
};

/** The PGlite transaction drizzle runs on (drizzle keeps it as `session.client`). */
function transactionClient(tx: Executor): Transaction {
  return (tx as unknown as { session: { client: Transaction } }).session.client;
}

type Executor = PgliteDatabase | Parameters<Parameters<PgliteDatabase['transaction']>[0]>[0];

class PgliteDb implements Db {
  get drizzle(): QueryBuilder {
    return this.executor as unknown as QueryBuilder;
  }

  readonly kind = 'pglite' as const;
  constructor(
    readonly executor: Executor,
    private readonly client: PGlite | undefined,
    private readonly connection: PGlite | Transaction,
    readonly inTransaction: boolean,
  ) {}

  async query<T = Row>(statement: SQL): Promise<T[]> {
    const result = (await this.executor.execute(statement)) as unknown as { rows: T[] };
    return result.rows;
  }

  async execute<T = Row>(statement: PreparedStatement, values: Record<string, unknown>): Promise<T[]> {
    const result = await this.connection.query<T>(statement.text, bindStatement(statement, values), {
      parsers: PARSERS,
    });
    return result.rows;
  }

  async run(statement: SQL): Promise<number> {
    const result = (await this.executor.execute(statement)) as unknown as { affectedRows?: number };
    return result.affectedRows ?? 0;
  }

  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.executor.transaction((tx) => work(new PgliteDb(tx, undefined, transactionClient(tx), true)));
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    if (!this.client) throw new Error('listen on the database, not inside a transaction');
    const unlisten = await this.client.listen(channel, onMessage);
    return () => unlisten();
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}

/** Embedded PostgreSQL (PGlite); `dataDir` undefined keeps everything in memory. */
export async function openPglite(dataDir?: string): Promise<Db> {
  const client = await PGlite.create(dataDir ? { dataDir } : {});
  await client.exec(`SET TIME ZONE 'UTC'`);
  return new PgliteDb(drizzle(client), client, client, false);
}
