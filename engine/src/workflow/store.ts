import { type SQL, sql } from 'drizzle-orm';
import { timestampToIso as iso } from '../fields/shared.ts';
import type { Db } from '../storage/db.ts';
import { quoteIdent } from '../storage/naming.ts';
import type { InstanceRow, JobRow, TaskRow, TokenRow } from './rows.ts';
import type { Changes } from './run.ts';

/** The workflow tables of one workspace schema. */
export class WorkflowTables {
  readonly definitions: SQL;
  readonly instances: SQL;
  readonly tokens: SQL;
  readonly tasks: SQL;
  readonly jobs: SQL;
  readonly subscriptions: SQL;
  readonly incidents: SQL;
  readonly history: SQL;

  constructor(schema: string) {
    const table = (name: string) => sql.raw(`${quoteIdent(schema)}.${quoteIdent(name)}`);
    this.definitions = table('_wf_definitions');
    this.instances = table('_wf_instances');
    this.tokens = table('_wf_tokens');
    this.tasks = table('_wf_tasks');
    this.jobs = table('_wf_jobs');
    this.subscriptions = table('_wf_subscriptions');
    this.incidents = table('_wf_incidents');
    this.history = table('_wf_history');
  }
}

const INSTANCE_COLUMNS = sql.raw(
  'id, process_id, version, state, variables, business_key, module, record_id, parent_instance_id, parent_token_id, started_at, started_by, ended_at',
);
const TOKEN_COLUMNS = sql.raw('id, instance_id, parent_id, element_id, state, variables, data, created_at');
const TASK_COLUMNS = sql.raw(
  'id, instance_id, token_id, process_id, version, element_id, name, assignee, candidate_users, candidate_groups, state, variables, result, created_at, completed_at, completed_by',
);
const JOB_COLUMNS = sql.raw(
  'id, instance_id, token_id, element_id, process_id, version, kind, due_at, attempts, retries, locked_until, locked_by, last_error, payload, created_at',
);
const SUBSCRIPTION_COLUMNS = sql.raw(
  'id, instance_id, token_id, element_id, process_id, version, message_name, correlation_key, created_at',
);
const INCIDENT_COLUMNS = sql.raw(
  'id, instance_id, token_id, job_id, element_id, kind, message, created_at, resolved_at, resolved_by',
);
const HISTORY_COLUMNS = sql.raw('instance_id, at, element_id, event, actor, data');

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
const ids = (values: string[]) =>
  sql`(SELECT (jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))::uuid)`;

/**
 * Writes a run's changes in ONE statement: every insert, update and delete is a data-modifying CTE
 * over a JSON parameter, so a command costs one round trip however many rows it touches.
 */
export async function writeChanges(db: Db, T: WorkflowTables, changes: Changes, now: string): Promise<void> {
  const parts: SQL[] = [];
  const add = (name: string, statement: SQL) => parts.push(sql`${sql.raw(name)} AS (${statement})`);
  const insert = (name: string, table: SQL, columns: SQL, rows: unknown[]) => {
    if (rows.length === 0) return;
    add(
      name,
      sql`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(null::${table}, ${json(rows)})`,
    );
  };
  if (changes.instanceInsert) insert('i', T.instances, INSTANCE_COLUMNS, [changes.instanceInsert]);
  if (changes.instanceUpdate) {
    const row = changes.instanceUpdate;
    add(
      'iu',
      sql`UPDATE ${T.instances} SET state = ${row.state}, variables = ${json(row.variables)},
        ended_at = ${row.ended_at}::timestamptz WHERE id = ${row.id}`,
    );
  }
  insert('ti', T.tokens, TOKEN_COLUMNS, changes.tokenInserts);
  if (changes.tokenUpdates.length > 0) {
    add(
      'tu',
      sql`UPDATE ${T.tokens} t SET element_id = x.element_id, state = x.state, variables = x.variables,
        data = x.data, parent_id = x.parent_id
        FROM jsonb_populate_recordset(null::${T.tokens}, ${json(changes.tokenUpdates)}) x WHERE t.id = x.id`,
    );
  }
  if (changes.tokenDeletes.length > 0) {
    add('td', sql`DELETE FROM ${T.tokens} WHERE id IN ${ids(changes.tokenDeletes)}`);
  }
  insert('ki', T.tasks, TASK_COLUMNS, changes.taskInserts);
  const completed = changes.taskComplete;
  if (completed || changes.taskCancelTokens.length > 0) {
    const completedId = completed?.id ?? null;
    add(
      'ku',
      sql`UPDATE ${T.tasks} SET
        state = CASE WHEN id = ${completedId}::uuid THEN 'completed' ELSE 'cancelled' END,
        completed_at = ${now}::timestamptz,
        completed_by = CASE WHEN id = ${completedId}::uuid THEN ${completed?.by ?? null}::uuid END,
        result = CASE WHEN id = ${completedId}::uuid THEN ${json(completed?.result ?? null)} END
        WHERE id = ${completedId}::uuid OR (state = 'open' AND token_id IN ${ids(changes.taskCancelTokens)})`,
    );
  }
  insert('ji', T.jobs, JOB_COLUMNS, changes.jobInserts);
  if (changes.jobUpdates.length > 0) {
    add(
      'ju',
      sql`UPDATE ${T.jobs} j SET due_at = x.due_at, attempts = x.attempts, locked_until = x.locked_until,
        locked_by = x.locked_by, last_error = x.last_error, payload = x.payload
        FROM jsonb_populate_recordset(null::${T.jobs}, ${json(changes.jobUpdates)}) x WHERE j.id = x.id`,
    );
  }
  if (changes.jobDeleteIds.length > 0 || changes.jobDeleteTokens.length > 0) {
    const keep = changes.jobUpdates.map((job) => job.id);
    add(
      'jd',
      sql`DELETE FROM ${T.jobs} WHERE (id IN ${ids(changes.jobDeleteIds)}
        OR (token_id IN ${ids(changes.jobDeleteTokens)} AND kind <> 'call-done'))
        AND id NOT IN ${ids(keep)}`,
    );
  }
  insert('si', T.subscriptions, SUBSCRIPTION_COLUMNS, changes.subscriptionInserts);
  if (changes.subscriptionDeleteIds.length > 0 || changes.subscriptionDeleteTokens.length > 0) {
    add(
      'sd',
      sql`DELETE FROM ${T.subscriptions} WHERE id IN ${ids(changes.subscriptionDeleteIds)}
        OR token_id IN ${ids(changes.subscriptionDeleteTokens)}`,
    );
  }
  insert('ni', T.incidents, INCIDENT_COLUMNS, changes.incidentInserts);
  insert('hi', T.history, HISTORY_COLUMNS, changes.history);
  if (parts.length === 0) return;
  await db.run(sql`WITH ${sql.join(parts, sql`, `)} SELECT 1`);
}

export interface LoadedInstance {
  instance: InstanceRow;
  tokens: TokenRow[];
}

/**
 * Reads an instance and its tokens; `lock` takes the instance row first, so commands on one instance
 * serialize here. Without the lock it is a snapshot (a service job's input, read outside any transaction).
 */
export async function loadInstance(
  db: Db,
  T: WorkflowTables,
  id: string,
  lock: boolean,
): Promise<LoadedInstance | undefined> {
  const [instance] = await db.query<InstanceRow>(
    sql`SELECT ${INSTANCE_COLUMNS} FROM ${T.instances} WHERE id = ${id}${lock ? sql` FOR UPDATE` : sql``}`,
  );
  if (!instance) return undefined;
  const tokens = await db.query<TokenRow>(
    sql`SELECT ${TOKEN_COLUMNS} FROM ${T.tokens} WHERE instance_id = ${id} ORDER BY id`,
  );
  return { instance: normalizeInstance(instance), tokens: tokens.map(normalizeToken) };
}

export function normalizeInstance(row: InstanceRow): InstanceRow {
  return {
    ...row,
    version: Number(row.version),
    variables: row.variables ?? {},
    started_at: iso(row.started_at) as string,
    ended_at: iso(row.ended_at),
  };
}

function normalizeToken(row: TokenRow): TokenRow {
  return { ...row, created_at: iso(row.created_at) as string };
}

export function normalizeTask(row: TaskRow): TaskRow {
  return {
    ...row,
    version: Number(row.version),
    created_at: iso(row.created_at) as string,
    completed_at: iso(row.completed_at),
  };
}

export function normalizeJob(row: JobRow): JobRow {
  return {
    ...row,
    version: Number(row.version),
    attempts: Number(row.attempts),
    retries: Number(row.retries),
    due_at: iso(row.due_at),
    locked_until: iso(row.locked_until),
    created_at: iso(row.created_at) as string,
  };
}

export { INSTANCE_COLUMNS, JOB_COLUMNS, TASK_COLUMNS };
