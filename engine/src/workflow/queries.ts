import { type SQL, sql } from 'drizzle-orm';
import { localizedError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import { isUuid } from '../identity/inputs.ts';
import type { Db } from '../storage/db.ts';
import type { Variables } from './expression.ts';
import type { IncidentRow, InstanceRow, InstanceState, TaskRow } from './rows.ts';
import {
  INSTANCE_COLUMNS,
  normalizeInstance,
  normalizeTask,
  TASK_COLUMNS,
  type WorkflowTables,
} from './store.ts';
import { upcoming } from './timers.ts';

/** An instance as operators see it: where its tokens are, its variables, open incidents. */
export interface InstanceView extends InstanceRow {
  /** The name of the process in the instance's own version (null when unnamed). */
  processName: string | null;
  /** Elements where tokens wait (scope tokens of subprocesses and multi-instance bodies included). */
  currentElements: string[];
  /** The same elements with their names in the diagram (null when unnamed). */
  position: { elementId: string; name: string | null }[];
  openIncidents: number;
}

export interface InstanceDetail extends InstanceView {
  tokens: {
    id: string;
    parentId: string | null;
    elementId: string;
    state: string;
    wait: string | null;
    variables: Variables | null;
  }[];
  tasks: TaskRow[];
  incidents: IncidentView[];
}

/** An incident as operators see it: where it is, what failed, after how many attempts. */
export interface IncidentView extends IncidentRow {
  process_id: string;
  version: number;
  /** Attempts made by the failed job (null when no job failed: an expression, an unhandled error). */
  attempts: number | null;
  retries: number | null;
  last_error: string | null;
}

export interface HistoryEvent {
  id: number;
  at: string;
  elementId: string | null;
  event: string;
  actor: string | null;
  data: Variables | null;
}

export interface InstanceQuery {
  processId?: string;
  state?: InstanceState;
  businessKey?: string;
  /** Instances about records of this module (`crm:record`). */
  module?: string;
  /** Instances about this record. */
  recordId?: string;
  /** Started at or after this instant (ISO 8601). */
  startedFrom?: string;
  /** Started before this instant (ISO 8601). */
  startedTo?: string;
  /** Only instances with (true) or without (false) open incidents. */
  incidents?: boolean;
  limit?: number;
  /** Instances started before this one (ids are time-ordered): the next page. */
  before?: string;
}

/** What happened at one element of an instance: tokens there now, past completions, open incidents. */
export interface ElementActivity {
  elementId: string;
  /** Tokens at the element now (a subprocess or multi-instance body counts its scope token). */
  active: number;
  /** How often it completed (a sequence flow: how often it was taken). */
  completed: number;
  /** How often it was left unfinished (cancelled, interrupted by a boundary event or an end). */
  terminated: number;
  openIncidents: number;
}

export interface StuckReport {
  /** Tokens that wait for a task, job, timer or message that is no longer there. */
  orphanTokens: { instanceId: string; tokenId: string; elementId: string; wait: string }[];
  /** Jobs claimed by a runner whose lease ran out (the runner stopped): they will be claimed again. */
  expiredLeases: {
    jobId: string;
    instanceId: string | null;
    kind: string;
    lockedBy: string | null;
    lockedUntil: string;
  }[];
  /** Jobs due for longer than the threshold and not claimed: no runner is running. */
  overdueJobs: { jobId: string; instanceId: string | null; kind: string; dueAt: string }[];
  /** Active instances with no token at all. */
  emptyInstances: string[];
}

/** A timer start event of a deployed process: when it fires next. */
export interface Schedule {
  processId: string;
  version: number;
  elementId: string;
  /** The timer as evaluated: an ISO 8601 cycle, a cron expression, a date or a duration. */
  timer: string;
  kind: string;
  /** How often it has fired since it was deployed. */
  fired: number;
  /** The next due times (the first is the planned one), read in `timeZone`. */
  next: string[];
  timeZone: string;
}

const STATES = new Set(['active', 'completed', 'terminated', 'cancelled']);

const current = (T: WorkflowTables) => sql`
  (SELECT d.name FROM ${T.definitions} d WHERE d.process_id = i.process_id AND d.version = i.version) AS process_name,
  ARRAY(SELECT DISTINCT t.element_id FROM ${T.tokens} t WHERE t.instance_id = i.id ORDER BY t.element_id) AS current_elements,
  (SELECT count(*) FROM ${T.incidents} n WHERE n.instance_id = i.id AND n.resolved_at IS NULL) AS open_incidents`;

type ViewRow = InstanceRow & {
  process_name: string | null;
  current_elements: string[];
  open_incidents: number | string;
};

/** The name of an element of a process version (from its compiled graph). */
export type ElementNames = (processId: string, version: number, elementId: string) => Promise<string | null>;

async function toView(row: ViewRow, names: ElementNames): Promise<InstanceView> {
  const { process_name, current_elements, open_incidents, ...instance } = row;
  const normalized = normalizeInstance(instance);
  const currentElements = current_elements ?? [];
  const position = await Promise.all(
    currentElements.map(async (elementId) => ({
      elementId,
      name: await names(normalized.process_id, normalized.version, elementId).catch(() => null),
    })),
  );
  return {
    ...normalized,
    processName: process_name,
    currentElements,
    position,
    openIncidents: Number(open_incidents),
  };
}

function instant(value: string | undefined, pointer: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw localizedError('invalid-query', pointer, 'format', {
      en: `${pointer.slice(1)} must be an ISO 8601 date or date-time`,
      'zh-CN': `${pointer.slice(1)} 必须是 ISO 8601 日期或日期时间`,
    });
  }
  return date.toISOString();
}

/** Read-only views of instances, tasks, history and incidents, and the stuck-work sweeper. */
export class WorkflowQueries {
  constructor(
    private readonly db: Db,
    private readonly T: WorkflowTables,
    private readonly names: ElementNames = async () => null,
  ) {}

  async instances(query: InstanceQuery = {}): Promise<InstanceView[]> {
    const T = this.T;
    const conditions: SQL[] = [];
    if (query.processId) conditions.push(sql`i.process_id = ${query.processId}`);
    if (query.state) {
      if (!STATES.has(query.state)) {
        throw localizedError('invalid-query', '/state', 'enum', {
          en: 'state must be active, completed, terminated or cancelled',
          'zh-CN': 'state 必须是 active、completed、terminated 或 cancelled',
        });
      }
      conditions.push(sql`i.state = ${query.state}`);
    }
    if (query.incidents !== undefined) {
      const open = sql`EXISTS (SELECT 1 FROM ${T.incidents} n WHERE n.instance_id = i.id AND n.resolved_at IS NULL)`;
      conditions.push(query.incidents ? open : sql`NOT ${open}`);
    }
    if (query.businessKey) conditions.push(sql`i.business_key = ${query.businessKey}`);
    if (query.module) conditions.push(sql`i.module = ${query.module}`);
    if (query.recordId) conditions.push(sql`i.record_id = ${isUuid(query.recordId) ? query.recordId : null}`);
    const from = instant(query.startedFrom, '/startedFrom');
    if (from) conditions.push(sql`i.started_at >= ${from}`);
    const to = instant(query.startedTo, '/startedTo');
    if (to) conditions.push(sql`i.started_at < ${to}`);
    if (query.before) {
      if (!isUuid(query.before)) {
        throw localizedError('invalid-query', '/before', 'format', {
          en: 'before must be an instance id',
          'zh-CN': 'before 必须是实例 id',
        });
      }
      conditions.push(sql`i.id < ${query.before}`);
    }
    const limit = Math.min(Math.max(1, query.limit ?? 50), 500);
    const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    const rows = await this.db.query<ViewRow>(
      sql`SELECT ${INSTANCE_COLUMNS}, ${current(T)} FROM ${T.instances} i ${where} ORDER BY i.id DESC LIMIT ${limit}`,
    );
    return Promise.all(rows.map((row) => toView(row, this.names)));
  }

  async instance(id: string): Promise<InstanceDetail> {
    const T = this.T;
    const [row] = await this.db.query<ViewRow>(
      sql`SELECT ${INSTANCE_COLUMNS}, ${current(T)} FROM ${T.instances} i WHERE i.id = ${isUuid(id) ? id : null}`,
    );
    if (!row) throw notFound(`workflow instance '${id}'`);
    const tokens = await this.db.query<{
      id: string;
      parent_id: string | null;
      element_id: string;
      state: string;
      data: { wait?: string };
      variables: Variables | null;
    }>(
      sql`SELECT id, parent_id, element_id, state, data, variables FROM ${T.tokens} WHERE instance_id = ${id} ORDER BY id`,
    );
    const tasks = await this.db.query<TaskRow>(
      sql`SELECT ${TASK_COLUMNS} FROM ${T.tasks} WHERE instance_id = ${id} ORDER BY created_at, id`,
    );
    return {
      ...(await toView(row, this.names)),
      tokens: tokens.map((token) => ({
        id: token.id,
        parentId: token.parent_id,
        elementId: token.element_id,
        state: token.state,
        wait: token.data?.wait ?? null,
        variables: token.variables,
      })),
      tasks: tasks.map(normalizeTask),
      incidents: await this.incidents({ instanceId: id, open: false }),
    };
  }

  async history(instanceId: string): Promise<HistoryEvent[]> {
    await this.instance(instanceId);
    const rows = await this.db.query<{
      id: number;
      at: unknown;
      element_id: string | null;
      event: string;
      actor: string | null;
      data: Variables | null;
    }>(
      sql`SELECT id, at, element_id, event, actor, data FROM ${this.T.history} WHERE instance_id = ${instanceId} ORDER BY id`,
    );
    return rows.map((row) => ({
      id: Number(row.id),
      at: timestampToIso(row.at) as string,
      elementId: row.element_id,
      event: row.event,
      actor: row.actor,
      data: row.data,
    }));
  }

  /** Per element of an instance: its tokens now, completions and terminations so far, open incidents. */
  async activity(instanceId: string): Promise<ElementActivity[]> {
    await this.instance(instanceId);
    const T = this.T;
    const rows = await this.db.query<{
      element_id: string;
      active: number | string;
      completed: number | string;
      terminated: number | string;
      incidents: number | string;
    }>(
      sql`SELECT element_id, sum(active) AS active, sum(completed) AS completed, sum(terminated) AS terminated,
          sum(incidents) AS incidents
        FROM (
          SELECT element_id, count(*) AS active, 0 AS completed, 0 AS terminated, 0 AS incidents
            FROM ${T.tokens} WHERE instance_id = ${instanceId} GROUP BY element_id
          UNION ALL
          SELECT element_id, 0, count(*) FILTER (WHERE event IN ('element-completed', 'flow-taken')),
              count(*) FILTER (WHERE event = 'element-terminated'), 0
            FROM ${T.history} WHERE instance_id = ${instanceId} AND element_id IS NOT NULL
              AND event IN ('element-completed', 'flow-taken', 'element-terminated')
            GROUP BY element_id
          UNION ALL
          SELECT element_id, 0, 0, 0, count(*) FROM ${T.incidents}
            WHERE instance_id = ${instanceId} AND resolved_at IS NULL AND element_id IS NOT NULL
            GROUP BY element_id
        ) AS counts
        GROUP BY element_id ORDER BY element_id`,
    );
    return rows.map((row) => ({
      elementId: row.element_id,
      active: Number(row.active),
      completed: Number(row.completed),
      terminated: Number(row.terminated),
      openIncidents: Number(row.incidents),
    }));
  }

  /** Incidents, newest last, with the process, the element's name and the failed job's attempts and error. */
  async incidents(
    query: { instanceId?: string; processId?: string; open?: boolean } = {},
  ): Promise<IncidentView[]> {
    const T = this.T;
    const conditions: SQL[] = [];
    if (query.instanceId)
      conditions.push(sql`n.instance_id = ${isUuid(query.instanceId) ? query.instanceId : null}`);
    if (query.processId) conditions.push(sql`i.process_id = ${query.processId}`);
    if (query.open !== false) conditions.push(sql`n.resolved_at IS NULL`);
    const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    const rows = await this.db.query<
      IncidentRow & {
        process_id: string;
        version: number;
        attempts: number | null;
        retries: number | null;
        last_error: string | null;
      }
    >(
      sql`SELECT n.*, i.process_id, i.version, j.attempts, j.retries, j.last_error
        FROM ${T.incidents} n JOIN ${T.instances} i ON i.id = n.instance_id
        LEFT JOIN ${T.jobs} j ON j.id = n.job_id
        ${where} ORDER BY n.created_at, n.id LIMIT 500`,
    );
    return rows.map((row) => ({
      id: row.id,
      instance_id: row.instance_id,
      token_id: row.token_id,
      job_id: row.job_id,
      element_id: row.element_id,
      kind: row.kind,
      message: row.message,
      created_at: timestampToIso(row.created_at) as string,
      resolved_at: timestampToIso(row.resolved_at),
      resolved_by: row.resolved_by,
      process_id: row.process_id,
      version: Number(row.version),
      attempts: row.attempts === null ? null : Number(row.attempts),
      retries: row.retries === null ? null : Number(row.retries),
      last_error: row.last_error,
    }));
  }

  /** Open tasks `userId` may work on: assigned to them, or unassigned with them or one of `groups` as candidates. */
  async tasksFor(userId: string, groups: string[] = []): Promise<TaskRow[]> {
    const rows = await this.db.query<TaskRow>(
      sql`SELECT ${TASK_COLUMNS} FROM ${this.T.tasks} WHERE state = 'open' AND (assignee = ${userId}
        OR (assignee IS NULL AND (candidate_users @> ARRAY[${userId}]::text[]
          OR candidate_groups && (SELECT coalesce(array_agg(g), '{}') FROM jsonb_array_elements_text(${JSON.stringify(groups)}::jsonb) g))))
        ORDER BY created_at, id LIMIT 500`,
    );
    return rows.map(normalizeTask);
  }

  /** The schedules (timer start events of the latest versions) with their next `count` due times. */
  async schedules(timeZone: string, count = 5): Promise<Schedule[]> {
    const rows = await this.db.query<{
      process_id: string;
      version: number;
      element_id: string;
      due_at: unknown;
      payload: { timer?: string; kind?: string; fired?: number } | null;
    }>(
      sql`SELECT process_id, version, element_id, due_at, payload FROM ${this.T.jobs}
        WHERE kind = 'start-timer' ORDER BY process_id, element_id`,
    );
    return rows.map((row) => {
      const timer = String(row.payload?.timer ?? '');
      const kind = String(row.payload?.kind ?? 'cycle');
      const fired = Number(row.payload?.fired ?? 0);
      const due = timestampToIso(row.due_at);
      const next =
        due === null
          ? []
          : kind === 'cycle'
            ? upcoming(timer, new Date(due), timeZone, fired, count)
            : [new Date(due)];
      return {
        processId: row.process_id,
        version: Number(row.version),
        elementId: row.element_id,
        timer,
        kind,
        fired,
        next: next.map((date) => date.toISOString()),
        timeZone,
      };
    });
  }

  /** Work that is stuck or about to be: reported, not repaired (leases expire and are claimed again on their own). */
  async sweep(now: Date, overdueMs = 300_000): Promise<StuckReport> {
    const T = this.T;
    const nowText = now.toISOString();
    const orphans = await this.db.query<{
      instance_id: string;
      id: string;
      element_id: string;
      wait: string;
    }>(
      sql`SELECT t.instance_id, t.id, t.element_id, t.data->>'wait' AS wait FROM ${T.tokens} t
        WHERE t.state = 'waiting' AND (
          (t.data->>'wait' = 'task' AND NOT EXISTS (SELECT 1 FROM ${T.tasks} k WHERE k.token_id = t.id AND k.state = 'open'))
          OR (t.data->>'wait' IN ('job', 'timer') AND NOT EXISTS (SELECT 1 FROM ${T.jobs} j WHERE j.token_id = t.id))
          OR (t.data->>'wait' = 'message' AND NOT EXISTS (SELECT 1 FROM ${T.subscriptions} s WHERE s.token_id = t.id))
          OR (t.data->>'wait' = 'event-gateway' AND NOT EXISTS (SELECT 1 FROM ${T.subscriptions} s WHERE s.token_id = t.id)
              AND NOT EXISTS (SELECT 1 FROM ${T.jobs} j WHERE j.token_id = t.id))
          OR (t.data->>'wait' = 'call' AND NOT EXISTS (SELECT 1 FROM ${T.instances} c
              WHERE c.id = (t.data->>'calledInstance')::uuid AND c.state = 'active')
              AND NOT EXISTS (SELECT 1 FROM ${T.jobs} j WHERE j.token_id = t.id)))
        ORDER BY t.instance_id LIMIT 500`,
    );
    const leases = await this.db.query<{
      id: string;
      instance_id: string | null;
      kind: string;
      locked_by: string | null;
      locked_until: unknown;
    }>(
      sql`SELECT id, instance_id, kind, locked_by, locked_until FROM ${T.jobs}
        WHERE locked_until IS NOT NULL AND locked_until < ${nowText} ORDER BY locked_until LIMIT 500`,
    );
    const overdue = await this.db.query<{
      id: string;
      instance_id: string | null;
      kind: string;
      due_at: unknown;
    }>(
      sql`SELECT id, instance_id, kind, due_at FROM ${T.jobs} WHERE locked_until IS NULL
        AND due_at < ${new Date(now.getTime() - overdueMs).toISOString()} ORDER BY due_at LIMIT 500`,
    );
    const empty = await this.db.query<{ id: string }>(
      sql`SELECT i.id FROM ${T.instances} i WHERE i.state = 'active'
        AND NOT EXISTS (SELECT 1 FROM ${T.tokens} t WHERE t.instance_id = i.id) LIMIT 500`,
    );
    return {
      orphanTokens: orphans.map((row) => ({
        instanceId: row.instance_id,
        tokenId: row.id,
        elementId: row.element_id,
        wait: row.wait,
      })),
      expiredLeases: leases.map((row) => ({
        jobId: row.id,
        instanceId: row.instance_id,
        kind: row.kind,
        lockedBy: row.locked_by,
        lockedUntil: timestampToIso(row.locked_until) as string,
      })),
      overdueJobs: overdue.map((row) => ({
        jobId: row.id,
        instanceId: row.instance_id,
        kind: row.kind,
        dueAt: timestampToIso(row.due_at) as string,
      })),
      emptyInstances: empty.map((row) => row.id),
    };
  }
}
