import { type SQL, sql } from 'drizzle-orm';
import { localizedError } from '../../errors.ts';
import { timestampToIso as iso } from '../../fields/shared.ts';
import { isUuid } from '../../identity/inputs.ts';
import type { IdentityTables } from '../../identity/tables.ts';
import type { Db } from '../../storage/db.ts';
import type { Variables } from '../expression.ts';
import type { WorkflowTables } from '../store.ts';
import type { Member } from './step.ts';
import {
  type ActionKind,
  type ActionRow,
  type ApprovalTables,
  type Attachment,
  normalizeStep,
  STEP_COLUMNS,
  type StepRow,
} from './store.ts';

/** Where an approval stands: running, or how it ended. */
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'recalled' | 'cancelled';

export interface UserRef {
  id: string;
  name: string;
}

/** The approval (workflow instance) an inbox entry belongs to. */
export interface ApprovalSummary {
  instanceId: string;
  processId: string;
  processName: string | null;
  module: string | null;
  recordId: string | null;
  submitter: UserRef | null;
  status: ApprovalStatus;
  startedAt: string;
  endedAt: string | null;
  /** In inbox lists: the record's title, null when the reader may not read the record. */
  recordTitle?: string | null;
}

export interface PendingEntry extends ApprovalSummary {
  taskId: string;
  elementId: string;
  stepName: string | null;
  /** `approval`, `resubmit` for a task returned to its submitter, `task` for a plain user task (completed through /api/workflows/tasks). */
  kind: 'approval' | 'resubmit' | 'task';
  createdAt: string;
}

export interface DoneEntry extends ApprovalSummary {
  actionId: string;
  action: ActionKind;
  comment: string | null;
  at: string;
  taskId: string | null;
  stepName: string | null;
}

export interface CcEntry extends ApprovalSummary {
  ccId: string;
  by: UserRef | null;
  at: string;
}

export interface SubmittedEntry extends ApprovalSummary {
  /** Names of the steps waiting now. */
  currentSteps: string[];
}

export interface InboxPage<T> {
  data: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface InboxCounts {
  pending: number;
  done: number;
  cc: number;
  submitted: number;
  /** Of the submitted ones, those still running. */
  submittedPending: number;
}

export interface TimelineAction {
  id: string;
  action: ActionKind;
  actor: UserRef | null;
  automatic: boolean;
  comment: string | null;
  attachments: Attachment[];
  data: Variables | null;
  at: string;
}

export interface TimelineStep {
  id: string;
  elementId: string;
  name: string | null;
  mode: string;
  state: string;
  createdAt: string;
  endedAt: string | null;
  approvers: (Member & { name: string })[];
  actions: TimelineAction[];
}

export interface TimelineEntry extends ApprovalSummary {
  steps: TimelineStep[];
  /** Actions on the whole approval (recall). */
  actions: TimelineAction[];
}

export interface InboxQuery {
  limit?: number;
  cursor?: string;
}

const MAX_PAGE = 200;

type SummaryRow = {
  instance_id: string;
  process_id: string;
  process_name: string | null;
  module: string | null;
  record_id: string | null;
  started_by: string | null;
  submitter_name: string | null;
  state: string;
  variables: Variables;
  started_at: unknown;
  ended_at: unknown;
  recalled: boolean;
};

/** The inbox of each user (pending, done, CC'd, submitted, with counts) and the approval timeline of a record. */
export class ApprovalInbox {
  constructor(
    private readonly db: Db,
    private readonly T: ApprovalTables,
    private readonly W: WorkflowTables,
    private readonly I: IdentityTables,
  ) {}

  /** Columns of the instance `i` an entry belongs to (with its definition and submitter). */
  #summaryColumns(): SQL {
    const { W, I, T } = this;
    return sql`i.id AS instance_id, i.process_id, (SELECT d.name FROM ${W.definitions} d
        WHERE d.process_id = i.process_id AND d.version = i.version) AS process_name,
      i.module, i.record_id, i.started_by, (SELECT coalesce(u.display_name, u.username) FROM ${I.users} u
        WHERE u.id = i.started_by) AS submitter_name, i.state, i.variables, i.started_at, i.ended_at,
      EXISTS (SELECT 1 FROM ${T.actions} r WHERE r.instance_id = i.id AND r.action = 'recall') AS recalled`;
  }

  /**
   * Open tasks for the user: approval tasks (their own), tasks returned to them, and plain user tasks
   * assigned to them or offered to them or to one of their roles (`groups`).
   */
  async pending(
    userId: string,
    query: InboxQuery = {},
    groups: string[] = [],
  ): Promise<InboxPage<PendingEntry>> {
    const { limit, after } = page(query);
    const rows = await this.db.query<
      SummaryRow & {
        task_id: string;
        element_id: string;
        name: string | null;
        created_at: unknown;
        step_mode: string | null;
      }
    >(
      sql`SELECT k.id AS task_id, k.element_id, k.name, k.created_at,
          (SELECT s.mode FROM ${this.T.steps} s WHERE s.token_id = k.token_id AND s.state = 'open' LIMIT 1) AS step_mode,
          ${this.#summaryColumns()}
        FROM ${this.W.tasks} k JOIN ${this.W.instances} i ON i.id = k.instance_id
        WHERE k.state = 'open' AND ${this.#mine(userId, groups)} ${after(sql`k.id`)}
        ORDER BY k.id DESC LIMIT ${limit + 1}`,
    );
    return paged(
      rows,
      limit,
      (row) => row.task_id,
      (row) => ({
        ...summary(row),
        taskId: row.task_id,
        elementId: row.element_id,
        stepName: row.name,
        kind: row.step_mode === null ? 'task' : row.step_mode === 'resubmit' ? 'resubmit' : 'approval',
        createdAt: iso(row.created_at) as string,
      }),
    );
  }

  async done(userId: string, query: InboxQuery = {}): Promise<InboxPage<DoneEntry>> {
    const { limit, after } = page(query);
    const rows = await this.db.query<
      SummaryRow & {
        action_id: string;
        action: ActionKind;
        comment: string | null;
        at: unknown;
        task_id: string | null;
        step_name: string | null;
      }
    >(
      sql`SELECT a.id AS action_id, a.action, a.comment, a.at, a.task_id,
          (SELECT s.name FROM ${this.T.steps} s WHERE s.id = a.step_id) AS step_name, ${this.#summaryColumns()}
        FROM ${this.T.actions} a JOIN ${this.W.instances} i ON i.id = a.instance_id
        WHERE a.actor = ${userId} AND NOT a.automatic AND a.action IN ('approve', 'reject', 'return', 'transfer', 'add-signer')
          ${after(sql`a.id`)}
        ORDER BY a.id DESC LIMIT ${limit + 1}`,
    );
    return paged(
      rows,
      limit,
      (row) => row.action_id,
      (row) => ({
        ...summary(row),
        actionId: row.action_id,
        action: row.action,
        comment: row.comment,
        at: iso(row.at) as string,
        taskId: row.task_id,
        stepName: row.step_name,
      }),
    );
  }

  async cc(userId: string, query: InboxQuery = {}): Promise<InboxPage<CcEntry>> {
    const { limit, after } = page(query);
    const rows = await this.db.query<
      SummaryRow & { cc_id: string; by: string | null; by_name: string | null; at: unknown }
    >(
      sql`SELECT c.id AS cc_id, c.by, (SELECT coalesce(u.display_name, u.username) FROM ${this.I.users} u WHERE u.id = c.by) AS by_name,
          c.at, ${this.#summaryColumns()}
        FROM ${this.T.cc} c JOIN ${this.W.instances} i ON i.id = c.instance_id
        WHERE c.user_id = ${userId} ${after(sql`c.id`)}
        ORDER BY c.id DESC LIMIT ${limit + 1}`,
    );
    return paged(
      rows,
      limit,
      (row) => row.cc_id,
      (row) => ({
        ...summary(row),
        ccId: row.cc_id,
        by: row.by ? { id: row.by, name: row.by_name ?? '' } : null,
        at: iso(row.at) as string,
      }),
    );
  }

  async submitted(userId: string, query: InboxQuery = {}): Promise<InboxPage<SubmittedEntry>> {
    const { limit, after } = page(query);
    const rows = await this.db.query<SummaryRow & { current: string[] | null }>(
      sql`SELECT ARRAY(SELECT coalesce(s.name, s.element_id) FROM ${this.T.steps} s
            WHERE s.instance_id = i.id AND s.state = 'open' ORDER BY s.created_at) AS current,
          ${this.#summaryColumns()}
        FROM ${this.W.instances} i
        WHERE i.started_by = ${userId} AND EXISTS (SELECT 1 FROM ${this.T.steps} s WHERE s.instance_id = i.id)
          ${after(sql`i.id`)}
        ORDER BY i.id DESC LIMIT ${limit + 1}`,
    );
    return paged(
      rows,
      limit,
      (row) => row.instance_id,
      (row) => ({
        ...summary(row),
        currentSteps: row.current ?? [],
      }),
    );
  }

  /** Open tasks `k` for the user: theirs, or offered to them or their roles when nobody has them. */
  #mine(userId: string, groups: string[]): SQL {
    return sql`(k.assignee = ${userId} OR (k.assignee IS NULL AND (k.candidate_users @> ARRAY[${userId}]::text[]
      OR k.candidate_groups && ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(groups)}::jsonb)))))`;
  }

  async counts(userId: string, groups: string[] = []): Promise<InboxCounts> {
    const { T, W } = this;
    const [row] = await this.db.query<Record<keyof InboxCounts, number | string>>(
      sql`SELECT
        (SELECT count(*) FROM ${W.tasks} k WHERE k.state = 'open' AND ${this.#mine(userId, groups)}) AS pending,
        (SELECT count(*) FROM ${T.actions} a WHERE a.actor = ${userId} AND NOT a.automatic
          AND a.action IN ('approve', 'reject', 'return', 'transfer', 'add-signer')) AS done,
        (SELECT count(*) FROM ${T.cc} c WHERE c.user_id = ${userId}) AS cc,
        (SELECT count(*) FROM ${W.instances} i WHERE i.started_by = ${userId}
          AND EXISTS (SELECT 1 FROM ${T.steps} s WHERE s.instance_id = i.id)) AS submitted,
        (SELECT count(*) FROM ${W.instances} i WHERE i.started_by = ${userId} AND i.state = 'active'
          AND EXISTS (SELECT 1 FROM ${T.steps} s WHERE s.instance_id = i.id)) AS "submittedPending"`,
    );
    return {
      pending: Number(row?.pending ?? 0),
      done: Number(row?.done ?? 0),
      cc: Number(row?.cc ?? 0),
      submitted: Number(row?.submitted ?? 0),
      submittedPending: Number(row?.submittedPending ?? 0),
    };
  }

  /** Every approval of a record, oldest first, each step with its approvers and every action. */
  async timeline(module: string, recordId: string): Promise<TimelineEntry[]> {
    if (!isUuid(recordId)) return [];
    const instances = await this.db.query<SummaryRow>(
      sql`SELECT ${this.#summaryColumns()} FROM ${this.W.instances} i
        WHERE i.record_id = ${recordId} AND i.module = ${module}
          AND EXISTS (SELECT 1 FROM ${this.T.steps} s WHERE s.instance_id = i.id)
        ORDER BY i.id`,
    );
    if (instances.length === 0) return [];
    const ids = JSON.stringify(instances.map((row) => row.instance_id));
    const inIds = sql`(SELECT (jsonb_array_elements_text(${ids}::jsonb))::uuid)`;
    const steps = (
      await this.db.query<StepRow>(
        sql`SELECT ${STEP_COLUMNS} FROM ${this.T.steps} WHERE instance_id IN ${inIds} ORDER BY created_at, id`,
      )
    ).map(normalizeStep);
    const actions = await this.db.query<Omit<ActionRow, 'task_id' | 'at'> & { at: unknown }>(
      sql`SELECT id, instance_id, step_id, action, actor, automatic, comment, attachments, data, at
        FROM ${this.T.actions} WHERE instance_id IN ${inIds} ORDER BY id`,
    );
    const userIds = new Set<string>();
    for (const step of steps)
      for (const slot of step.slots) for (const m of slot.members) userIds.add(m.userId);
    for (const action of actions) if (action.actor) userIds.add(action.actor);
    const names = await this.#names([...userIds]);
    const ref = (id: string | null): UserRef | null => (id ? { id, name: names.get(id) ?? '' } : null);
    const toAction = (row: (typeof actions)[number]): TimelineAction => ({
      id: row.id,
      action: row.action,
      actor: ref(row.actor),
      automatic: row.automatic,
      comment: row.comment,
      attachments: row.attachments ?? [],
      data: row.data,
      at: iso(row.at) as string,
    });
    return instances.map((row) => ({
      ...summary(row),
      steps: steps
        .filter((step) => step.instance_id === row.instance_id)
        .map((step) => ({
          ...stepView(step, names),
          actions: actions.filter((action) => action.step_id === step.id).map(toAction),
        })),
      actions: actions
        .filter((action) => action.instance_id === row.instance_id && action.step_id === null)
        .map(toAction),
    }));
  }

  /** One approval's summary (undefined when there is no such instance). */
  async summary(instanceId: string): Promise<ApprovalSummary | undefined> {
    const [row] = await this.db.query<SummaryRow>(
      sql`SELECT ${this.#summaryColumns()} FROM ${this.W.instances} i WHERE i.id = ${instanceId}`,
    );
    return row ? summary(row) : undefined;
  }

  /** Display names of users by id. */
  async names(ids: string[]): Promise<Map<string, string>> {
    return this.#names(ids);
  }

  async #names(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ id: string; name: string }>(
      sql`SELECT id, coalesce(display_name, username) AS name FROM ${this.I.users}
        WHERE id IN (SELECT (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)`,
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}

function page(query: InboxQuery): { limit: number; after: (column: SQL) => SQL } {
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw localizedError('invalid-query', '/limit', 'range', {
      en: `limit must be a whole number from 1 to ${MAX_PAGE}`,
      'zh-CN': `limit 必须是 1 到 ${MAX_PAGE} 的整数`,
    });
  }
  const cursor = query.cursor;
  if (cursor !== undefined && !isUuid(cursor)) {
    throw localizedError('invalid-query', '/cursor', 'format', {
      en: 'cursor must be the nextCursor of a previous page',
      'zh-CN': 'cursor 必须是上一页返回的 nextCursor',
    });
  }
  return { limit, after: (column) => (cursor === undefined ? sql`` : sql`AND ${column} < ${cursor}`) };
}

function paged<R, T>(rows: R[], limit: number, key: (row: R) => string, map: (row: R) => T): InboxPage<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { data: kept.map(map), nextCursor: more && last ? key(last) : null };
}

function summary(row: SummaryRow): ApprovalSummary {
  return {
    instanceId: row.instance_id,
    processId: row.process_id,
    processName: row.process_name,
    module: row.module,
    recordId: row.record_id,
    submitter: row.started_by ? { id: row.started_by, name: row.submitter_name ?? '' } : null,
    status: statusOf(row),
    startedAt: iso(row.started_at) as string,
    endedAt: iso(row.ended_at),
  };
}

function statusOf(row: SummaryRow): ApprovalStatus {
  if (row.state === 'active') return 'pending';
  if (row.state === 'cancelled') return row.recalled ? 'recalled' : 'cancelled';
  const approval = row.variables?.approval as Variables | undefined;
  return approval?.outcome === 'rejected' ? 'rejected' : 'approved';
}

/** A step as users see it: its approvers with their names. */
export function stepView(step: StepRow, names: Map<string, string>): Omit<TimelineStep, 'actions'> {
  return {
    id: step.id,
    elementId: step.element_id,
    name: step.name,
    mode: step.mode,
    state: step.state,
    createdAt: step.created_at,
    endedAt: step.ended_at,
    approvers: step.slots.flatMap((slot) =>
      slot.members.map((m) => ({ ...m, name: names.get(m.userId) ?? '' })),
    ),
  };
}
