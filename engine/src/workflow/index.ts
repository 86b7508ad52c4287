/** The workflow engine: BPMN processes interpreted over bpmn-moddle, state in the workspace's tables. */
export { type ActionContext, ActionRegistry, BpmnError, type WorkflowAction } from './actions.ts';
export type { Variables } from './expression.ts';
export type { WorkflowProblem } from './problems.ts';
export type { HistoryEvent, InstanceDetail, InstanceQuery, InstanceView, StuckReport } from './queries.ts';
export type { RecordBinding, StatusValues, WorkflowRecordAccess } from './record-binding.ts';
export type { HistoryRow, IncidentRow, InstanceRow, InstanceState, JobRow, TaskRow } from './rows.ts';
export type { CandidateRequest, CandidateResolution } from './run.ts';
export { type RunnerOptions, startWorkflowRunner } from './runner.ts';
export {
  type CandidateResolver,
  type DeployedProcess,
  type DueWorkResult,
  defaultCandidates,
  type StartOptions,
  type WorkflowOptions,
  WorkflowService,
} from './service.ts';
