import { sql } from 'drizzle-orm';
import { announceAccessChange } from '../access/announce.ts';
import type { Db } from '../storage/db.ts';
import type { Clock } from './clock.ts';
import type { PasswordHasher } from './passwords.ts';
import type { SecuritySettingsStore } from './settings.ts';
import type { IdentityTables } from './tables.ts';

/** What the identity services of one workspace share. */
export interface IdentityContext {
  db: Db;
  workspaceId: string;
  t: IdentityTables;
  clock: Clock;
  hasher: PasswordHasher;
  settings: SecuritySettingsStore;
}

/** Arbitrary constants: advisory locks serializing changes to the department tree and the manager graph. */
const TREE_LOCK = 727_004;
const MANAGER_LOCK = 727_005;

/**
 * Takes the workspace's lock on a graph for the rest of the transaction, so two concurrent moves
 * (A under B, B under A) cannot each pass the cycle check and together make a cycle.
 */
export async function lockGraph(tx: Db, ctx: IdentityContext, graph: 'departments' | 'managers') {
  const key = graph === 'departments' ? TREE_LOCK : MANAGER_LOCK;
  await tx.run(sql`SELECT pg_advisory_xact_lock(${key}, hashtext(${ctx.workspaceId}))`);
}

/** Tells every server's access caches that users, departments or role assignments changed. */
export function accessChanged(tx: Db, ctx: IdentityContext): Promise<void> {
  return announceAccessChange(tx, ctx.workspaceId);
}

export function nowIso(ctx: IdentityContext): string {
  return ctx.clock().toISOString();
}
