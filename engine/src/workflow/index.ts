/** The workflow engine: BPMN processes interpreted over bpmn-moddle, state in the workspace's tables. */

export { type WebhookResponse, webhookSignature } from './actions/webhook.ts';
export {
  type ActionContext,
  type ActionDescription,
  type ActionParameter,
  ActionRegistry,
  BpmnError,
  type KnownSettings,
  type SettingProblem,
  type WorkflowAction,
} from './actions.ts';
export type {
  ApprovalStatus,
  ApprovalSummary,
  CcEntry,
  DoneEntry,
  InboxCounts,
  InboxPage,
  InboxQuery,
  PendingEntry,
  SubmittedEntry,
  TimelineAction,
  TimelineEntry,
  TimelineStep,
  UserRef,
} from './approvals/inbox.ts';
export {
  type ActionResult,
  type ActOptions,
  ApprovalService,
  TASK_ACTIONS,
  type TaskAction,
  type TaskDetail,
} from './approvals/service.ts';
export type { Member, Slot } from './approvals/step.ts';
export type { ActionKind, ActionRow, Attachment, StepRow } from './approvals/store.ts';
export type { Variables } from './expression.ts';
export {
  type InstanceLabels,
  labelHistory,
  labelInstances,
  type MonitoredHistoryEvent,
  type MonitoredInstance,
  type MonitorLabels,
} from './monitor.ts';
export type { WorkflowProblem } from './problems.ts';
export type {
  ElementActivity,
  HistoryEvent,
  IncidentView,
  InstanceDetail,
  InstanceQuery,
  InstanceView,
  Schedule,
  StuckReport,
} from './queries.ts';
export type { RecordBinding, StatusValues, WorkflowRecordAccess } from './record-binding.ts';
export type { HistoryRow, IncidentRow, InstanceRow, InstanceState, JobRow, TaskRow } from './rows.ts';
export type { CandidateRequest, CandidateResolution } from './run.ts';
export { type DueWorkSource, isStuck, type RunnerOptions, startWorkflowRunner } from './runner.ts';
export {
  type CandidateResolver,
  type DeployedProcess,
  type DiagramLint,
  type DueWorkResult,
  defaultCandidates,
  type ProcessVersion,
  type StartOptions,
  type WorkflowOptions,
  WorkflowService,
} from './service.ts';
export { MANUAL_ACTION_SCOPE } from './triggers/compile.ts';
