import { type SQL, sql } from 'drizzle-orm';
import { timestampToIso as iso } from '../../fields/shared.ts';
import type { Db } from '../../storage/db.ts';
import { quoteIdent } from '../../storage/naming.ts';
import type { Variables } from '../expression.ts';
import type { Slot, StepMode } from './step.ts';

/** The approval tables of one workspace schema (migration 9). */
export class ApprovalTables {
  readonly steps: SQL;
  readonly actions: SQL;
  readonly cc: SQL;
  readonly locks: SQL;
  readonly files: SQL;

  constructor(schema: string) {
    const table = (name: string) => sql.raw(`${quoteIdent(schema)}.${quoteIdent(name)}`);
    this.steps = table('_wf_approval_steps');
    this.actions = table('_wf_approval_actions');
    this.cc = table('_wf_approval_cc');
    this.locks = table('_wf_record_locks');
    this.files = table('_files');
  }
}

export type StepState = 'open' | 'approved' | 'rejected' | 'returned' | 'recalled' | 'cancelled';

export interface StepRow {
  id: string;
  instance_id: string;
  token_id: string;
  element_id: string;
  name: string | null;
  mode: StepMode;
  ratio: number;
  state: StepState;
  slots: Slot[];
  submitter: string | null;
  created_at: string;
  ended_at: string | null;
}

export type ActionKind =
  | 'approve'
  | 'reject'
  | 'return'
  | 'transfer'
  | 'add-signer'
  | 'recall'
  | 'remind'
  | 'cc'
  | 'resubmit'
  | 'escalate';

export interface Attachment {
  id: string;
  name: string;
  size: number;
  type: string;
}

export interface ActionRow {
  id: string;
  instance_id: string;
  step_id: string | null;
  task_id: string | null;
  action: ActionKind;
  actor: string | null;
  automatic: boolean;
  comment: string | null;
  attachments: Attachment[];
  data: Variables | null;
  at: string;
}

export interface CcRow {
  id: string;
  instance_id: string;
  user_id: string;
  step_id: string | null;
  by: string | null;
  at: string;
}

export const STEP_COLUMNS = sql.raw(
  'id, instance_id, token_id, element_id, name, mode, ratio, state, slots, submitter, created_at, ended_at',
);
const ACTION_COLUMNS = sql.raw(
  'id, instance_id, step_id, task_id, action, actor, automatic, comment, attachments, data, at',
);
const CC_COLUMNS = sql.raw('id, instance_id, user_id, step_id, by, at');

export function normalizeStep(row: StepRow): StepRow {
  return {
    ...row,
    ratio: Number(row.ratio),
    created_at: iso(row.created_at) as string,
    ended_at: iso(row.ended_at),
  };
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/** Writes steps (insert or update), actions and CC rows in one statement. */
export async function writeApprovals(
  db: Db,
  T: ApprovalTables,
  rows: { steps: StepRow[]; actions: ActionRow[]; cc: CcRow[] },
): Promise<void> {
  const parts: SQL[] = [];
  if (rows.steps.length > 0) {
    parts.push(sql`s AS (INSERT INTO ${T.steps} (${STEP_COLUMNS})
      SELECT ${STEP_COLUMNS} FROM jsonb_populate_recordset(null::${T.steps}, ${json(rows.steps)})
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, slots = excluded.slots, ended_at = excluded.ended_at)`);
  }
  if (rows.actions.length > 0) {
    parts.push(sql`a AS (INSERT INTO ${T.actions} (${ACTION_COLUMNS})
      SELECT ${ACTION_COLUMNS} FROM jsonb_populate_recordset(null::${T.actions}, ${json(rows.actions)}))`);
  }
  if (rows.cc.length > 0) {
    parts.push(sql`c AS (INSERT INTO ${T.cc} (${CC_COLUMNS})
      SELECT ${CC_COLUMNS} FROM jsonb_populate_recordset(null::${T.cc}, ${json(rows.cc)})
      ON CONFLICT (instance_id, user_id) DO NOTHING)`);
  }
  if (parts.length === 0) return;
  await db.run(sql`WITH ${sql.join(parts, sql`, `)} SELECT 1`);
}

/** The open step a token waits in (read under the instance's lock). */
export async function openStepOfToken(
  db: Db,
  T: ApprovalTables,
  tokenId: string,
): Promise<StepRow | undefined> {
  const [row] = await db.query<StepRow>(
    sql`SELECT ${STEP_COLUMNS} FROM ${T.steps} WHERE token_id = ${tokenId} AND state = 'open'`,
  );
  return row ? normalizeStep(row) : undefined;
}

export async function stepsOfInstance(db: Db, T: ApprovalTables, instanceId: string): Promise<StepRow[]> {
  const rows = await db.query<StepRow>(
    sql`SELECT ${STEP_COLUMNS} FROM ${T.steps} WHERE instance_id = ${instanceId} ORDER BY created_at, id`,
  );
  return rows.map(normalizeStep);
}
