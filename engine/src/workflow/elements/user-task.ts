import { uuidv7 } from 'uuidv7';
import { compileApproval } from '../approvals/settings.ts';
import type { ElementKind, FlowNode } from '../model.ts';
import type { CandidateResolution, Run, Token } from '../run.ts';

/**
 * User tasks: a task row for the assignee or the candidates (`zeebe:assignmentDefinition`, resolved by
 * the run's pluggable candidate resolver); the token waits until the task is completed. A task with
 * `crm:approval` is an approval step instead (approvals/).
 */
export const userTask: ElementKind = {
  types: ['bpmn:UserTask'],
  compile(element, node, context) {
    const assignment = context.extension(element, 'zeebe:AssignmentDefinition');
    node.assignment = {
      assignee: context.expr(assignment?.assignee as string | undefined, node.id, 'assignee') ?? null,
      candidateUsers:
        context.expr(assignment?.candidateUsers as string | undefined, node.id, 'candidateUsers') ?? null,
      candidateGroups:
        context.expr(assignment?.candidateGroups as string | undefined, node.id, 'candidateGroups') ?? null,
    };
    const approval = context.extension(element, 'crm:Approval');
    if (approval) node.approval = compileApproval(approval, node.id, context);
  },
  async enter(run, token, node) {
    if (node.approval) {
      if (!run.services.enterApproval) throw new Error('approval tasks need the approvals service');
      await run.services.enterApproval(run, token, node);
      return;
    }
    const variables = run.variablesOf(token);
    const assignment = node.assignment;
    const candidates = run.services.resolveCandidates({
      processId: run.graph.processId,
      elementId: node.id,
      variables,
      assignee: assignment?.assignee?.evaluate(variables) ?? null,
      candidateUsers: assignment?.candidateUsers?.evaluate(variables) ?? null,
      candidateGroups: assignment?.candidateGroups?.evaluate(variables) ?? null,
    });
    const taskId = openTask(run, token, node, candidates);
    run.record('task-created', node.id, { taskId });
    run.wait(token, 'task');
  },
};

/** A new open task row of `node` waited on by `token`, for `candidates`; returns its id. */
export function openTask(run: Run, token: Token, node: FlowNode, candidates: CandidateResolution): string {
  const taskId = uuidv7();
  run.changes.taskInserts.push({
    id: taskId,
    instance_id: run.instance.id,
    token_id: token.id,
    process_id: run.graph.processId,
    version: run.graph.version,
    element_id: node.id,
    name: node.name,
    assignee: candidates.assignee,
    candidate_users: candidates.candidateUsers,
    candidate_groups: candidates.candidateGroups,
    state: 'open',
    variables: token.variables,
    result: null,
    created_at: run.now,
    completed_at: null,
    completed_by: null,
  });
  return taskId;
}
