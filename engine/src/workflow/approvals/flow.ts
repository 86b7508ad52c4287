import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { openTask } from '../elements/user-task.ts';
import type { Variables } from '../expression.ts';
import type { FlowNode } from '../model.ts';
import type { Run, Token } from '../run.ts';
import type { WorkflowTables } from '../store.ts';
import { addDuration, parseDuration } from '../timers.ts';
import { type Notify, type Pending, pending } from './pending.ts';
import type { ApproverResolver } from './resolve.ts';
import type { ApprovalSettings } from './settings.ts';
import {
  activeMembers,
  approvers,
  type Member,
  type MemberState,
  membersToActivate,
  rejecters,
  type Slot,
  settleAlternates,
  stepOutcome,
} from './step.ts';
import type { ActionKind, ActionRow, ApprovalTables, Attachment, StepRow } from './store.ts';

/** What an action brings along, for the timeline. */
export interface ActionNote {
  actor: string | null;
  automatic: boolean;
  comment: string | null;
  attachments: Attachment[];
  data?: Variables | null;
  taskId?: string | null;
}

/** The submitter of the instance a run works on: the start variable, else who started it. */
export function submitterOf(run: Run): string | null {
  const value = run.instance.variables.submitter;
  return typeof value === 'string' && value !== '' ? value : run.instance.started_by;
}

/**
 * Approval steps inside a run: entering a `crm:approval` task, giving members their tasks in turn
 * (auto-approving where the settings say), deciding the step and moving the token on. Rows are
 * gathered on the run and written after its own; tasks already stored are closed at once (the
 * command's transaction).
 */
export class ApprovalFlow {
  constructor(
    readonly T: ApprovalTables,
    readonly W: WorkflowTables,
    readonly resolver: ApproverResolver,
    readonly notify: Notify | undefined,
  ) {}

  pending(run: Run): Pending {
    return pending(run, this.T, this.notify);
  }

  async enter(run: Run, token: Token, node: FlowNode): Promise<void> {
    const settings = node.approval as ApprovalSettings;
    const variables = run.variablesOf(token);
    const submitter = submitterOf(run);
    const { users, empty } = await this.resolver.resolve(run.services.db, settings.approvers, {
      variables,
      submitter,
    });
    run.wait(token, 'task');
    if (users.length === 0 && !(settings.autoApprove.submitter && submitter)) {
      run.incident(
        token,
        'approval',
        `no approver: the rule${empty.length > 1 ? 's' : ''} ${empty.map((rule) => rule.label).join(', ')} gave nobody`,
      );
      return;
    }
    if (settings.mode === 'single' && users.length > 1) {
      run.incident(
        token,
        'approval',
        `mode single needs exactly one approver; the rules gave ${users.length}`,
      );
      return;
    }
    // nobody to ask and the submitter approves their own: the top of the organisation submitting
    const chosen = users.length > 0 ? users : [submitter as string];
    const step: StepRow = {
      id: uuidv7(),
      instance_id: run.instance.id,
      token_id: token.id,
      element_id: node.id,
      name: node.name,
      mode: settings.mode,
      ratio: settings.ratio,
      state: 'open',
      slots: chosen.map((userId) => ({ members: [{ userId, state: 'waiting', taskId: null, via: 'rule' }] })),
      submitter,
      created_at: run.now,
      ended_at: null,
    };
    this.touch(run, step);
    run.record('approval-started', node.id, { stepId: step.id, approvers: chosen });
    await this.advance(run, token, node, step, null);
  }

  touch(run: Run, step: StepRow): void {
    this.pending(run).steps.set(step.id, step);
  }

  addAction(run: Run, step: StepRow | null, action: ActionKind, note: ActionNote): ActionRow {
    const row: ActionRow = {
      id: uuidv7(),
      instance_id: run.instance.id,
      step_id: step?.id ?? null,
      task_id: note.taskId ?? null,
      action,
      actor: note.actor,
      automatic: note.automatic,
      comment: note.comment,
      attachments: note.attachments,
      data: note.data ?? null,
      at: run.now,
    };
    this.pending(run).actions.push(row);
    return row;
  }

  /**
   * Gives members whose turn it is their tasks, auto-approving where the settings allow, until the
   * step waits for someone or is decided (then the token moves on). `last` is the action that
   * led here, whose comment becomes the outcome's.
   */
  async advance(
    run: Run,
    token: Token,
    node: FlowNode,
    step: StepRow,
    last: ActionNote | null,
  ): Promise<void> {
    const settings = node.approval as ApprovalSettings;
    for (;;) {
      for (const member of settleAlternates(step.slots)) {
        await this.closeTask(run, member, 'cancelled', null, { action: 'decided-by-alternate' });
      }
      const outcome = stepOutcome(step.mode, step.ratio, step.slots);
      if (outcome) {
        await this.decide(run, token, node, step, outcome, last);
        return;
      }
      const due = membersToActivate(step.mode, step.slots);
      if (due.length === 0) return;
      let automatic = false;
      for (const member of due) {
        const reason = member.via === 'rule' ? await this.#autoApproval(run, step, settings, member) : null;
        if (reason) {
          member.state = 'approved';
          member.automatic = true;
          last = { actor: member.userId, automatic: true, comment: null, attachments: [], data: { reason } };
          this.addAction(run, step, 'approve', last);
          automatic = true;
          // one automatic vote may decide the step: look again before giving others tasks
          break;
        }
        this.activate(run, token, node, step, member);
      }
      if (!automatic) return;
    }
  }

  async #autoApproval(
    run: Run,
    step: StepRow,
    settings: ApprovalSettings,
    member: Member,
  ): Promise<'submitter' | 'previous' | null> {
    if (settings.autoApprove.submitter && member.userId === step.submitter) return 'submitter';
    if (settings.autoApprove.previous && (await this.#previousApprovers(run, step)).includes(member.userId)) {
      return 'previous';
    }
    return null;
  }

  /** Who approved the step decided last before `step` in this instance (this run's first). */
  async #previousApprovers(run: Run, step: StepRow): Promise<string[]> {
    const decided = [...this.pending(run).steps.values()].filter(
      (other) => other.id !== step.id && other.state === 'approved' && other.mode !== 'resubmit',
    );
    const latest = decided.at(-1);
    if (latest) return approvers(latest.slots);
    const [row] = await run.services.db.query<{ slots: Slot[] }>(
      sql`SELECT slots FROM ${this.T.steps} WHERE instance_id = ${run.instance.id} AND id <> ${step.id}
        AND state = 'approved' AND mode <> 'resubmit' ORDER BY ended_at DESC, id DESC LIMIT 1`,
    );
    return row ? approvers(row.slots) : [];
  }

  /** A member's turn: a task of their own, its timeout, a notification. */
  activate(run: Run, token: Token, node: FlowNode, step: StepRow, member: Member): void {
    member.state = 'active';
    const taskId = openTask(run, token, node, {
      assignee: member.userId,
      candidateUsers: [],
      candidateGroups: [],
    });
    member.taskId = taskId;
    run.record('task-created', node.id, { taskId, stepId: step.id, assignee: member.userId });
    const timeout = node.approval?.timeout;
    if (timeout && step.mode !== 'resubmit') {
      const due = addDuration(
        run.services.now,
        parseDuration(timeout.duration) ?? { years: 0, months: 0, days: 0, ms: 0 },
      );
      run.changes.jobInserts.push(
        run.jobRow({
          instance_id: run.instance.id,
          token_id: token.id,
          element_id: node.id,
          kind: 'timer',
          due_at: due.toISOString(),
          payload: { approvalTimeout: { taskId, stepId: step.id } },
        }),
      );
    }
    const resubmit = step.mode === 'resubmit';
    this.pending(run).notifications.push({
      recipients: [member.userId],
      kind: resubmit ? 'approval-returned' : 'approval-task',
      title: resubmit
        ? { en: `Returned to you: ${label(run, node)}`, 'zh-CN': `已退回给您：${label(run, node)}` }
        : { en: `To approve: ${label(run, node)}`, 'zh-CN': `待审批：${label(run, node)}` },
      link: this.link(run, taskId),
    });
  }

  link(
    run: Run,
    taskId?: string,
  ): { module?: string; recordId?: string; instanceId: string; taskId?: string } {
    const variables = run.instance.variables;
    return {
      ...(typeof variables.module === 'string' ? { module: variables.module } : {}),
      ...(typeof variables.recordId === 'string' ? { recordId: variables.recordId } : {}),
      instanceId: run.instance.id,
      ...(taskId ? { taskId } : {}),
    };
  }

  /**
   * Ends a member's task: `completed` by whoever acted, or `cancelled`. A task of this run not yet
   * written is changed before it is; a stored one is updated now, in the command's transaction.
   */
  async closeTask(
    run: Run,
    member: Member,
    state: 'completed' | 'cancelled',
    by: string | null,
    result: Variables | null,
  ): Promise<void> {
    const taskId = member.taskId;
    if (!taskId) return;
    const fresh = run.changes.taskInserts.find((task) => task.id === taskId);
    run.changes.jobInserts = run.changes.jobInserts.filter(
      (job) => (job.payload?.approvalTimeout as { taskId?: string } | undefined)?.taskId !== taskId,
    );
    if (fresh) {
      Object.assign(fresh, { state, completed_at: run.now, completed_by: by, result });
      return;
    }
    await run.services.db.run(
      sql`UPDATE ${this.W.tasks} SET state = ${state}, completed_at = ${run.now}, completed_by = ${by}::uuid,
        result = ${JSON.stringify(result)}::jsonb WHERE id = ${taskId} AND state = 'open'`,
    );
    await run.services.db.run(
      sql`DELETE FROM ${this.W.jobs} WHERE instance_id = ${run.instance.id}
        AND payload->'approvalTimeout'->>'taskId' = ${taskId}`,
    );
  }

  /** Ends every active member's task (the step is over). */
  async closeActive(run: Run, step: StepRow, state: MemberState): Promise<void> {
    for (const member of activeMembers(step.slots)) {
      member.state = state;
      await this.closeTask(run, member, 'cancelled', null, null);
    }
  }

  async decide(
    run: Run,
    token: Token,
    node: FlowNode,
    step: StepRow,
    outcome: 'approved' | 'rejected',
    last: ActionNote | null,
  ): Promise<void> {
    const settings = node.approval as ApprovalSettings;
    await this.closeActive(run, step, 'cancelled');
    step.state = outcome;
    step.ended_at = run.now;
    this.touch(run, step);
    const approval = {
      outcome,
      decidedBy: outcome === 'approved' ? approvers(step.slots) : rejecters(step.slots),
      comment: last?.comment ?? null,
    };
    run.record('approval-decided', node.id, { stepId: step.id, outcome });
    await this.#copyTo(run, step, settings, run.variablesOf(token));
    const previous = run.variablesOf(token).approvals;
    const result = {
      approval,
      approvals: {
        ...(previous && typeof previous === 'object' && !Array.isArray(previous)
          ? (previous as Variables)
          : {}),
        [node.id]: approval,
      },
    };
    if (outcome === 'rejected' && settings.onReject === 'end') {
      run.propagate(token, result);
      run.finishInstance('completed');
      return;
    }
    run.leave(token, result);
  }

  /** The step's `crm:cc` rules: those users see the approval in their CC list. */
  async #copyTo(run: Run, step: StepRow, settings: ApprovalSettings, variables: Variables): Promise<void> {
    if (settings.cc.length === 0) return;
    const { users } = await this.resolver.resolve(run.services.db, settings.cc, {
      variables,
      submitter: step.submitter,
    });
    this.copy(run, step, users, null);
  }

  copy(run: Run, step: StepRow | null, users: string[], by: string | null): void {
    if (users.length === 0) return;
    const rows = this.pending(run);
    for (const user of users) {
      rows.cc.push({
        id: uuidv7(),
        instance_id: run.instance.id,
        user_id: user,
        step_id: step?.id ?? null,
        by,
        at: run.now,
      });
    }
    rows.notifications.push({
      recipients: users,
      kind: 'approval-cc',
      title: { en: `For your information: ${processLabel(run)}`, 'zh-CN': `抄送给您：${processLabel(run)}` },
      link: this.link(run),
    });
  }
}

function label(run: Run, node: FlowNode): string {
  return node.name ?? run.graph.name ?? run.graph.processId;
}

function processLabel(run: Run): string {
  return run.graph.name ?? run.graph.processId;
}
