import type { SQL } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { bindStatement, type Db, type PreparedStatement, type QueryBuilder, type Row } from './db.ts';

/** The postgres.js connection drizzle runs a transaction on (drizzle keeps it as `session.client`). */
function transactionClient(tx: Executor): postgres.Sql {
  return (tx as unknown as { session: { client: postgres.Sql } }).session.client;
}

type Executor = PostgresJsDatabase | Parameters<Parameters<PostgresJsDatabase['transaction']>[0]>[0];

class PostgresDb implements Db {
  get drizzle(): QueryBuilder {
    return this.executor as unknown as QueryBuilder;
  }

  readonly kind = 'postgres' as const;
  constructor(
    readonly executor: Executor,
    /** The pool (top level) or the transaction's connection: what prepared statements run on. */
    private readonly connection: postgres.Sql,
    readonly inTransaction: boolean,
  ) {}

  async query<T = Row>(statement: SQL): Promise<T[]> {
    return (await this.executor.execute(statement)) as unknown as T[];
  }

  async execute<T = Row>(statement: PreparedStatement, values: Record<string, unknown>): Promise<T[]> {
    // drizzle's execute() never prepares (it names no statement); postgres.js caches plans per connection.
    const params = bindStatement(statement, values) as postgres.ParameterOrJSON<never>[];
    return (await this.connection.unsafe(statement.text, params, { prepare: true })) as unknown as T[];
  }

  async run(statement: SQL): Promise<number> {
    const result = (await this.executor.execute(statement)) as unknown as { count?: number };
    return result.count ?? 0;
  }

  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    return this.executor.transaction((tx) => work(new PostgresDb(tx, transactionClient(tx), true)));
  }

  async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
    if (this.inTransaction) throw new Error('listen on the database, not inside a transaction');
    const { unlisten } = await this.connection.listen(channel, onMessage);
    return unlisten;
  }

  async close(): Promise<void> {
    if (!this.inTransaction) await this.connection.end({ timeout: 5 });
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
