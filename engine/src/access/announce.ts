import { sql } from 'drizzle-orm';
import type { Db } from '../storage/db.ts';

/** NOTIFY channel telling every server that who may do what changed in a workspace (payload: its id). */
export const ACCESS_CHANNEL = 'crm_access';

type Invalidate = () => void;
const localListeners = new Map<string, Set<Invalidate>>();

/**
 * Call after (inside the transaction of) any write to roles, role assignments, users or
 * departments: every server drops its cached policies when the transaction commits. This server's
 * caches are dropped right away too, so its next request does not wait for the notification.
 */
export async function announceAccessChange(tx: Db, workspaceId: string): Promise<void> {
  await tx.run(sql`SELECT pg_notify(${ACCESS_CHANNEL}, ${workspaceId})`);
  for (const invalidate of localListeners.get(workspaceId) ?? []) invalidate();
}

/** Registers a cache of this process to drop on `announceAccessChange`; returns the unregister. */
export function onLocalAccessChange(workspaceId: string, invalidate: Invalidate): () => void {
  let listeners = localListeners.get(workspaceId);
  if (!listeners) {
    listeners = new Set();
    localListeners.set(workspaceId, listeners);
  }
  listeners.add(invalidate);
  return () => listeners.delete(invalidate);
}
