import type { Variables } from './expression.ts';
import type { TokenData } from './run.ts';

/** Rows of the workflow tables (migration 5), as the engine reads and writes them (timestamps as ISO text). */

export type InstanceState = 'active' | 'completed' | 'terminated' | 'cancelled';

export interface InstanceRow {
  id: string;
  process_id: string;
  version: number;
  state: InstanceState;
  variables: Variables;
  business_key: string | null;
  /** The module and record the instance is about (`crm:record`), when it was started for one. */
  module: string | null;
  record_id: string | null;
  parent_instance_id: string | null;
  parent_token_id: string | null;
  started_at: string;
  started_by: string | null;
  ended_at: string | null;
}

export interface TokenRow {
  id: string;
  instance_id: string;
  parent_id: string | null;
  element_id: string;
  state: string;
  variables: Variables | null;
  data: TokenData;
  created_at: string;
}

export type TaskState = 'open' | 'completed' | 'cancelled';

export interface TaskRow {
  id: string;
  instance_id: string;
  token_id: string;
  process_id: string;
  version: number;
  element_id: string;
  name: string | null;
  assignee: string | null;
  candidate_users: string[];
  candidate_groups: string[];
  state: TaskState;
  /** The task's own variables (its input mappings), shown with it. */
  variables: Variables | null;
  result: Variables | null;
  created_at: string;
  completed_at: string | null;
  completed_by: string | null;
}

export type JobKind = 'timer' | 'service' | 'start-timer' | 'call-done';

export interface JobRow {
  id: string;
  instance_id: string | null;
  token_id: string | null;
  element_id: string | null;
  process_id: string;
  version: number;
  kind: JobKind;
  /** Null for a job parked by an incident. */
  due_at: string | null;
  attempts: number;
  retries: number;
  locked_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  payload: Variables | null;
  created_at: string;
}

export interface SubscriptionRow {
  id: string;
  /** Null for a message start event's subscription. */
  instance_id: string | null;
  token_id: string | null;
  element_id: string;
  process_id: string;
  version: number;
  message_name: string;
  correlation_key: string | null;
  created_at: string;
}

export interface IncidentRow {
  id: string;
  instance_id: string;
  token_id: string | null;
  job_id: string | null;
  element_id: string | null;
  kind: string;
  message: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

export interface HistoryRow {
  instance_id: string;
  at: string;
  element_id: string | null;
  event: string;
  actor: string | null;
  data: Variables | null;
}
