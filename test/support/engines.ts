// The engine on each database it supports: suites call `forEachDatabase` and run once per kind.
import {
  type Clock,
  Engine,
  type EnginePlugin,
  type FileOptions,
  type IdentityOptions,
  type OutboundPolicy,
  openPglite,
  openPostgres,
  type PasswordHashing,
  type WorkflowOptions,
  type Workspace,
} from '@crm/engine';
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, type TestDatabase } from './postgres.ts';

export type DatabaseKind = 'pglite' | 'postgres';
export const DATABASE_KINDS: DatabaseKind[] = ['pglite', 'postgres'];

export interface EngineHandle {
  engine: Engine;
  workspace: Workspace;
  kind: DatabaseKind;
}

/** argon2id at its cheapest: tests hash many passwords, and their strength is no concern there. */
export const FAST_PASSWORD_HASHING: PasswordHashing = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestEngineOptions {
  /** PostgreSQL only: start from a copy of this template database (see templateDatabase). */
  template?: string;
  /** A clock to step through lockouts and expiries; password hashing is cheap unless set here. */
  identity?: IdentityOptions;
  /** The workflow engine's clock, retries and lease. */
  workflow?: WorkflowOptions;
  /** The time records are created at (autonumbers are dated by it). */
  clock?: Clock;
  /** Where attachments are kept (a folder; the database by default). */
  files?: FileOptions;
  /** Plugins to load, and where their failures are logged. */
  plugins?: EnginePlugin[];
  pluginLog?: (line: string) => void;
  /** Where webhooks and actions may call (tests with a receiver on loopback allow it here). */
  outbound?: OutboundPolicy;
}

/** A fresh engine (own database) on `kind`; close it with `handle.engine.close()` and `drop()`. */
export async function openTestEngine(kind: DatabaseKind, name = 'engine', options: TestEngineOptions = {}) {
  let database: TestDatabase | undefined;
  if (kind === 'postgres') database = await createTestDatabase(name, options.template);
  const db = database ? await openPostgres(database.url) : await openPglite();
  const engine = await Engine.open({
    db,
    identity: { passwordHashing: FAST_PASSWORD_HASHING, ...options.identity },
    workflow: options.workflow,
    clock: options.clock,
    files: options.files,
    plugins: options.plugins,
    pluginLog: options.pluginLog,
    outbound: options.outbound,
  });
  const workspace = await engine.workspace('default');
  return {
    engine,
    workspace,
    kind,
    async close() {
      await engine.close();
      await database?.drop();
    },
  };
}

/**
 * Declares `suite` once per database kind; `handle()` gives that kind's engine, opened once for the
 * file's suite (PGlite takes seconds to start).
 */
export function forEachDatabase(
  title: string,
  suite: (handle: () => EngineHandle) => void,
  options: TestEngineOptions = {},
) {
  for (const kind of DATABASE_KINDS) {
    describe(`${title} [${kind}]`, () => {
      let current: Awaited<ReturnType<typeof openTestEngine>> | undefined;
      beforeAll(async () => {
        current = await openTestEngine(kind, title, options);
      });
      afterAll(async () => {
        await current?.close();
      });
      suite(() => {
        if (!current) throw new Error('engine not open yet');
        return current;
      });
    });
  }
}
