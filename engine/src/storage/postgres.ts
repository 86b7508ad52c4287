import type { SQL } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db, QueryBuilder, Row } from './db.ts';

type Executor = PostgresJsDatabase | Parameters<Parameters<PostgresJsDatabase['transaction']>[0]>[0];

class PostgresDb implements Db {
  get drizzle(): QueryBuilder {
    return this.executor as unknown as QueryBuilder;
  }

  readonly kind = 'postgres' as const;
  constructor(
    readonly executor: Executor,
    private readonly client: postgres.Sql | undefined,
    readonly inTransaction: boolean,
  ) {}

  async query<T = Row>(statement: SQL): Promise<T[]> {
    return (await this.executor.execute(statement)) as unknown as T[];
  }

  async run(statement: SQL): Promise<number> {
    const result = (await this.executor.execute(statement)) as unknown as { count?: number };
    return result.count ?? 0;
  }

  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.executor.transaction((tx) => work(new PostgresDb(tx, undefined, true)));
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    if (!this.client) throw new Error('listen on the database, not inside a transaction');
    const { unlisten } = await this.client.listen(channel, onMessage);
    return unlisten;
  }

  async close(): Promise<void> {
    await this.client?.end({ timeout: 5 });
  }
}

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  max?: number;
}

/** A PostgreSQL server through postgres.js. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { TimeZone: 'UTC', application_name: 'crm' },
  });
  return new PostgresDb(drizzle(client), client, false);
}
