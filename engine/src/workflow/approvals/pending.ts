import type { Db } from '../../storage/db.ts';
import type { Run } from '../run.ts';
import { type ActionRow, type ApprovalTables, type CcRow, type StepRow, writeApprovals } from './store.ts';

export type LocaleText = string | { en: string; 'zh-CN': string };

/** An in-app notification, as `workspace.notifications.send` takes it. */
export interface ApprovalNotification {
  recipients: string[];
  kind: string;
  title: LocaleText;
  body?: LocaleText;
  link?: { module?: string; recordId?: string; instanceId?: string; taskId?: string };
}

export type Notify = (db: Db, notification: ApprovalNotification) => Promise<unknown>;

/** What happened to the record a flow is about, for its lock and status field. */
export type BindingEvent = 'returned' | 'resubmitted';

/** The approval rows a run changes, written after its own rows in its transaction. */
export interface Pending {
  steps: Map<string, StepRow>;
  actions: ActionRow[];
  cc: CcRow[];
  notifications: ApprovalNotification[];
  binding: BindingEvent[];
}

const pendingOf = new WeakMap<Run, Pending>();

/** The run's pending approval rows; the first call arranges their write after the run's rows. */
export function pending(run: Run, T: ApprovalTables, notify: Notify | undefined): Pending {
  let found = pendingOf.get(run);
  if (found) return found;
  const created: Pending = { steps: new Map(), actions: [], cc: [], notifications: [], binding: [] };
  pendingOf.set(run, created);
  run.changes.afterWrites.push(async (db) => {
    await writeApprovals(db, T, {
      steps: [...created.steps.values()],
      actions: created.actions,
      cc: created.cc,
    });
    if (notify) for (const notification of created.notifications) await notify(db, notification);
  });
  found = created;
  return found;
}

/** Pending rows of a run that has any (for the bookkeeping after it). */
export function pendingIfAny(run: Run): Pending | undefined {
  return pendingOf.get(run);
}
