import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { localizedError, notFound } from '../../errors.ts';
import { isUuid } from '../../identity/inputs.ts';
import type { IdentityTables } from '../../identity/tables.ts';
import type { Actor } from '../../records/types.ts';
import type { Db } from '../../storage/db.ts';
import type { ProcessGraph } from '../model.ts';
import { recordTitlesByModule, titleOf } from '../monitor.ts';
import type { JobRow, TaskRow } from '../rows.ts';
import type { Run, Token } from '../run.ts';
import type { WorkflowExtension, WorkflowService } from '../service.ts';
import { normalizeTask, TASK_COLUMNS } from '../store.ts';
import { type ApprovalRecords, RecordKeeper } from './binding.ts';
import { type ActionNote, ApprovalFlow, submitterOf } from './flow.ts';
import {
  ApprovalInbox,
  type ApprovalSummary,
  type InboxPage,
  stepView,
  type TimelineEntry,
  type TimelineStep,
} from './inbox.ts';
import { type ActionInput, invalidInput, readActionInput, readUser, readUsers } from './inputs.ts';
import type { Notify } from './pending.ts';
import { ApproverResolver } from './resolve.ts';
import type { ApprovalSettings } from './settings.ts';
import { activeMembers, type Member, memberOfTask, type Slot } from './step.ts';
import { type ActionRow, ApprovalTables, openStepOfToken, type StepRow, stepsOfInstance } from './store.ts';

export type TaskAction = 'approve' | 'reject' | 'return' | 'transfer' | 'add-signer' | 'cc' | 'resubmit';
export const TASK_ACTIONS: TaskAction[] = [
  'approve',
  'reject',
  'return',
  'transfer',
  'add-signer',
  'cc',
  'resubmit',
];

export interface ActOptions {
  /** Administrators may act on any task and instance. */
  asAdmin?: boolean;
}

export interface TaskDetail {
  task: TaskRow;
  approval: ApprovalSummary;
  step: Omit<TimelineStep, 'actions'> | null;
  /** What the asking user may do on the task now. */
  actions: TaskAction[];
  /** Earlier approval steps `return` may go back to (besides `previous` and `submitter`). */
  returnTargets: { elementId: string; name: string | null }[];
}

export interface ActionResult {
  action: ActionRow;
  instanceId: string;
  instanceState: string;
}

const conflict = (en: string, zh: string) => localizedError('conflict', '', 'conflict', { en, 'zh-CN': zh });
const notYours = () =>
  localizedError('forbidden', '', 'not-your-task', {
    en: 'this approval task is not yours',
    'zh-CN': '该审批任务不属于您',
  });

/** Actions that count as someone having acted (the submitter may recall only before any). */
const ACTED = ['approve', 'reject', 'return', 'transfer', 'add-signer'];

/**
 * Approvals (`crm:approval` user tasks): the steps' runs, every action on them with its checks (each
 * one command: one transaction under the instance's lock, so concurrent votes serialize and none is
 * lost), timeouts, and the bookkeeping after each write.
 */
export class ApprovalService implements WorkflowExtension {
  readonly tables: ApprovalTables;
  readonly resolver: ApproverResolver;
  readonly flow: ApprovalFlow;

  readonly #keeper: RecordKeeper;
  readonly #records: ApprovalRecords | undefined;
  /** Each user's pending, done, CC'd and submitted approvals, and records' timelines. */
  readonly inbox: ApprovalInbox;

  constructor(
    private readonly db: Db,
    schema: string,
    private readonly workflows: WorkflowService,
    identity: IdentityTables,
    options: { notify?: Notify; records?: ApprovalRecords } = {},
  ) {
    this.tables = new ApprovalTables(schema);
    this.resolver = new ApproverResolver(identity);
    this.flow = new ApprovalFlow(this.tables, workflows.tables, this.resolver, options.notify);
    this.#keeper = new RecordKeeper(this.tables, options.records, this.flow);
    this.#records = options.records;
    this.inbox = new ApprovalInbox(db, this.tables, workflows.tables, identity);
    workflows.extend(this);
  }

  /** Every approval of a record, for whoever may read the record (others: not found). */
  async timeline(module: string, recordId: string, actor: Actor): Promise<TimelineEntry[]> {
    if (!this.#records) throw new Error('approval timelines need the record service');
    await this.#records.checkReadable(module, recordId, actor);
    return this.inbox.timeline(module, recordId);
  }

  /** The titles of those of the records `actor` may read, by id (one query). */
  recordTitles(module: string, ids: string[], actor: Actor): Promise<Map<string, string>> {
    return this.#records ? this.#records.titles(module, ids, actor) : Promise.resolve(new Map());
  }

  /**
   * An inbox page with each entry's record title (`recordTitle`), read as `actor` (one query per module,
   * not one per entry): null for a record the actor may not read or that is gone.
   */
  async withRecordTitles<T extends ApprovalSummary>(page: InboxPage<T>, actor: Actor): Promise<InboxPage<T>> {
    if (!this.#records) return page;
    const titles = await recordTitlesByModule(
      page.data,
      (module, ids, reader) => this.recordTitles(module, ids, reader),
      actor,
    );
    return {
      ...page,
      data: page.data.map((entry) => ({
        ...entry,
        recordTitle: titleOf(titles, entry),
      })),
    };
  }

  /**
   * An approval task with its step, its approval and what `actor` may do on it, for its approver,
   * the submitter and administrators (anyone else: not found).
   */
  async taskDetail(taskId: string, actor: Actor, options: ActOptions = {}): Promise<TaskDetail> {
    const task = await this.#task(this.db, taskId);
    const approval = await this.inbox.summary(task.instance_id);
    const mine = task.assignee === actor.userId;
    if (!approval || (!mine && !options.asAdmin && approval.submitter?.id !== actor.userId)) {
      throw notFound(`task '${taskId}'`);
    }
    const steps = await stepsOfInstance(this.db, this.tables, task.instance_id);
    const step = steps.find((each) => memberOfTask(each.slots, taskId)) ?? null;
    const names = await this.inbox.names(
      step ? step.slots.flatMap((slot) => slot.members.map((m) => m.userId)) : [],
    );
    const open = task.state === 'open' && step?.state === 'open';
    const actions: TaskAction[] =
      open && (mine || options.asAdmin)
        ? step?.mode === 'resubmit'
          ? ['resubmit', 'cc']
          : ['approve', 'reject', 'return', 'transfer', 'add-signer', 'cc']
        : [];
    const earlier = steps.filter(
      (each) => each.state === 'approved' && each.mode !== 'resubmit' && each.element_id !== step?.element_id,
    );
    const targets = new Map(earlier.map((each) => [each.element_id, each.name]));
    return {
      task,
      approval,
      step: step && stepView(step, names),
      actions,
      returnTargets: [...targets].map(([elementId, name]) => ({ elementId, name })),
    };
  }

  /**
   * Whether a user may download a file attached to an approval action: the submitter, the approvers
   * and those CC'd on that approval.
   */
  async mayReadAttachment(fileId: string, userId: string): Promise<boolean> {
    const T = this.tables;
    const [row] = await this.db.query<{ found: number }>(
      sql`SELECT 1 AS found FROM ${T.actions} a JOIN ${this.workflows.tables.instances} i ON i.id = a.instance_id
        WHERE a.attachments @> ${JSON.stringify([{ id: fileId }])}::jsonb
          AND (i.started_by = ${userId}
            OR EXISTS (SELECT 1 FROM ${T.steps} s WHERE s.instance_id = i.id
              AND s.slots @> ${JSON.stringify([{ members: [{ userId }] }])}::jsonb)
            OR EXISTS (SELECT 1 FROM ${T.cc} c WHERE c.instance_id = i.id AND c.user_id = ${userId}))
        LIMIT 1`,
    );
    return row !== undefined;
  }

  /** Refuses a user's change or delete of a record an active flow locks (HTTP 423). */
  guard(db: Db, moduleId: string, recordId: string): Promise<void> {
    return this.#keeper.guard(db, moduleId, recordId);
  }

  // The workflow extension ///////////////////////////////////////////////////////////////////////

  enterApproval(
    run: Run,
    token: Token,
    node: Parameters<WorkflowExtension['enterApproval']>[2],
  ): Promise<void> {
    return this.flow.enter(run, token, node);
  }

  concerns(graph: ProcessGraph): boolean {
    return hasApprovals(graph) || graph.record !== null;
  }

  async afterRun(tx: Db, run: Run): Promise<void> {
    const approvals = hasApprovals(run.graph);
    if (approvals && !run.isNew) await this.#closeOrphanSteps(tx, run);
    await this.#keeper.afterRun(tx, run, approvals);
  }

  /** Steps whose token went another way (a boundary event, a cancel): no open task is left for them. */
  async #closeOrphanSteps(tx: Db, run: Run): Promise<void> {
    await tx.run(
      sql`UPDATE ${this.tables.steps} s SET state = 'cancelled', ended_at = ${run.now}
        WHERE s.instance_id = ${run.instance.id} AND s.state = 'open'
          AND NOT EXISTS (SELECT 1 FROM ${this.workflows.tables.tasks} t WHERE t.token_id = s.token_id AND t.state = 'open')`,
    );
  }

  async approvalTimeout(run: Run, tx: Db, token: Token, job: JobRow): Promise<void> {
    const taskId = String((job.payload?.approvalTimeout as { taskId?: string } | undefined)?.taskId ?? '');
    const step = await openStepOfToken(tx, this.tables, token.id);
    const found = step ? memberOfTask(step.slots, taskId) : undefined;
    if (!step || !found || found.member.state !== 'active') return;
    this.flow.touch(run, step);
    const node = run.node(step.element_id);
    const settings = node.approval as ApprovalSettings;
    const { member } = found;
    const action = settings.timeout?.action ?? 'remind';
    const note: ActionNote = {
      actor: null,
      automatic: true,
      comment: null,
      attachments: [],
      taskId,
      data: { timeout: settings.timeout?.duration ?? null, approver: member.userId },
    };
    run.record('approval-timeout', node.id, { taskId, action });
    switch (action) {
      case 'remind':
        this.flow.addAction(run, step, 'remind', { ...note, data: { ...note.data, users: [member.userId] } });
        this.#remindNotice(run, [member.userId]);
        this.flow.touch(run, step);
        return;
      case 'approve':
      case 'reject':
        member.state = action === 'approve' ? 'approved' : 'rejected';
        member.automatic = true;
        await this.flow.closeTask(run, member, 'completed', null, { action, automatic: true });
        this.flow.addAction(run, step, action, note);
        await this.flow.advance(run, token, node, step, note);
        return;
      case 'escalate': {
        const { users } = await this.resolver.resolve(tx, settings.escalateTo, {
          variables: run.variablesOf(token),
          submitter: step.submitter,
          approver: member.userId,
        });
        // every user found gets the task; the first decision among them is the approver's vote
        const to = users.filter((user) => user !== member.userId);
        if (to.length === 0) {
          run.incident(token, 'approval', `the timeout escalates, but crm:escalateTo gave nobody`);
          return;
        }
        this.#replace(found.slot, member, to, 'after', 'escalate', to.length > 1 ? taskId : undefined);
        member.state = 'transferred';
        await this.flow.closeTask(run, member, 'cancelled', null, { action: 'escalate', to });
        this.flow.addAction(run, step, 'escalate', { ...note, data: { ...note.data, to } });
        await this.flow.advance(run, token, node, step, note);
        return;
      }
    }
  }

  // Task actions ///////////////////////////////////////////////////////////////////////////////

  /** An action on an approval task by its approver (or an administrator): one transaction. */
  async act(
    taskId: string,
    action: TaskAction,
    input: unknown,
    actor: Actor,
    options: ActOptions = {},
  ): Promise<ActionResult> {
    if (!TASK_ACTIONS.includes(action)) throw notFound(`approval action '${action}'`);
    const task = await this.#task(this.db, taskId);
    if (!options.asAdmin && task.assignee !== actor.userId) throw notYours();
    const note = await readActionInput(this.db, this.tables, input, actor.userId);
    const extra = await this.#readExtra(action, note);
    return this.workflows.command(task.instance_id, actor.userId, async (run, tx) => {
      const current = await this.#task(tx, taskId);
      const step = await openStepOfToken(tx, this.tables, current.token_id);
      const found = step ? memberOfTask(step.slots, taskId) : undefined;
      const token = run.tokens.get(current.token_id);
      if (current.state !== 'open' || !step || !found || found.member.state !== 'active' || !token) {
        throw conflict(
          `the task is already ${current.state === 'open' ? 'over' : current.state}`,
          `该任务已${current.state === 'cancelled' ? '取消' : '处理'}`,
        );
      }
      if (action === 'resubmit' && step.mode !== 'resubmit') {
        throw conflict(
          'only a task returned to the submitter can be resubmitted',
          '只有退回给发起人的任务可以重新提交',
        );
      }
      if (step.mode === 'resubmit' && action !== 'resubmit' && action !== 'cc') {
        throw conflict(
          'a returned task can only be resubmitted (or the approval recalled)',
          '退回的任务只能重新提交（或撤回审批）',
        );
      }
      this.flow.touch(run, step);
      const by = actor.userId;
      const acted: ActionNote = {
        actor: by,
        automatic: false,
        comment: note.comment,
        attachments: note.attachments,
        taskId,
        data: extra.data,
      };
      const node = run.node(step.element_id);
      const { slot, member } = found;
      const result = (kind: string) => ({ action: kind, comment: note.comment });
      let row: ActionRow;
      switch (action) {
        case 'approve':
        case 'reject':
          member.state = action === 'approve' ? 'approved' : 'rejected';
          await this.flow.closeTask(run, member, 'completed', by, result(action));
          row = this.flow.addAction(run, step, action, acted);
          await this.flow.advance(run, token, node, step, acted);
          break;
        case 'transfer': {
          const to = extra.users[0] as string;
          this.#refuseMembers(step, [to], '/to');
          // the one it goes to takes the approver's place, among alternates too
          this.#replace(slot, member, [to], 'after', 'transfer', member.alternates);
          member.state = 'transferred';
          await this.flow.closeTask(run, member, 'completed', by, { ...result(action), to });
          row = this.flow.addAction(run, step, 'transfer', acted);
          await this.flow.advance(run, token, node, step, acted);
          break;
        }
        case 'add-signer': {
          this.#refuseMembers(step, extra.users, '/users');
          const position = extra.data?.position as 'before' | 'after';
          this.#replace(slot, member, extra.users, position, position);
          // before: the new signers first, then this approver again; after: this approver has approved
          member.state = position === 'before' ? 'waiting' : 'approved';
          await this.flow.closeTask(run, member, 'completed', by, { ...result(action), position });
          if (position === 'before') member.taskId = null;
          row = this.flow.addAction(run, step, 'add-signer', acted);
          await this.flow.advance(run, token, node, step, acted);
          break;
        }
        case 'cc':
          row = this.flow.addAction(run, step, 'cc', acted);
          this.flow.copy(run, step, extra.users, by);
          this.flow.touch(run, step);
          break;
        case 'return':
          row = await this.#return(run, token, step, member, acted, extra.data?.target as string);
          break;
        case 'resubmit':
          member.state = 'approved';
          await this.flow.closeTask(run, member, 'completed', by, result(action));
          step.state = 'approved';
          step.ended_at = run.now;
          this.flow.touch(run, step);
          row = this.flow.addAction(run, step, 'resubmit', acted);
          this.flow.pending(run).binding.push('resubmitted');
          run.record('approval-resubmitted', node.id, { stepId: step.id }, by);
          this.#reenter(run, token, node.id);
          break;
      }
      return { action: row, instanceId: run.instance.id, instanceState: run.instance.state };
    });
  }

  /** The extra inputs of an action, checked before anything is written. */
  async #readExtra(
    action: TaskAction,
    note: ActionInput,
  ): Promise<{ users: string[]; data: Record<string, unknown> | null }> {
    const body = note.body;
    switch (action) {
      case 'transfer': {
        const to = await readUser(this.db, this.resolver, body.to, '/to');
        return { users: [to], data: { to } };
      }
      case 'add-signer': {
        const position = body.position ?? 'before';
        if (position !== 'before' && position !== 'after') {
          throw invalidInput('/position', 'enum', 'must be before or after', '必须是 before 或 after');
        }
        const users = await readUsers(this.db, this.resolver, body.users, '/users');
        return { users, data: { users, position } };
      }
      case 'cc': {
        const users = await readUsers(this.db, this.resolver, body.users, '/users');
        return { users, data: { users } };
      }
      case 'return': {
        const target = body.target ?? 'previous';
        if (typeof target !== 'string' || target === '') {
          throw invalidInput(
            '/target',
            'type',
            'must be previous, submitter or the id of an earlier step',
            '必须是 previous、submitter 或之前步骤的 id',
          );
        }
        return { users: [], data: { target } };
      }
      default:
        return { users: [], data: null };
    }
  }

  /** Users who already have a turn in the step cannot be added again. */
  #refuseMembers(step: StepRow, users: string[], pointer: string): void {
    const busy = step.slots.flatMap((slot) =>
      slot.members.filter((m) => m.state === 'active' || m.state === 'waiting').map((m) => m.userId),
    );
    const clash = users.find((user) => busy.includes(user));
    if (clash) {
      throw invalidInput(
        pointer,
        'already-approver',
        'is already an approver of this step',
        '已经是该步骤的审批人',
      );
    }
  }

  /** Puts `users` into `member`'s chain, before or after it (as alternates of one another with `alternates`). */
  #replace(
    slot: Slot,
    member: Member,
    users: string[],
    where: 'before' | 'after',
    via: Member['via'],
    alternates?: string,
  ): void {
    const index = slot.members.indexOf(member);
    const added: Member[] = users.map((userId) => ({
      userId,
      state: 'waiting',
      taskId: null,
      via,
      ...(alternates ? { alternates } : {}),
    }));
    slot.members.splice(where === 'before' ? index : index + 1, 0, ...added);
  }

  async #return(
    run: Run,
    token: Token,
    step: StepRow,
    member: Member,
    note: ActionNote,
    target: string,
  ): Promise<ActionRow> {
    const node = run.node(step.element_id);
    member.state = 'cancelled';
    await this.flow.closeTask(run, member, 'completed', note.actor, {
      action: 'return',
      target,
      comment: note.comment,
    });
    await this.flow.closeActive(run, step, 'cancelled');
    step.state = 'returned';
    step.ended_at = run.now;
    this.flow.touch(run, step);
    const row = this.flow.addAction(run, step, 'return', note);
    run.record('approval-returned', node.id, { stepId: step.id, target }, note.actor);
    if (target === 'submitter') {
      const submitter = step.submitter ?? submitterOf(run);
      if (!submitter)
        throw conflict('the instance has no submitter to return to', '该实例没有可退回的发起人');
      const resubmit: StepRow = {
        ...step,
        id: uuidv7(),
        mode: 'resubmit',
        ratio: 1,
        state: 'open',
        slots: [{ members: [{ userId: submitter, state: 'waiting', taskId: null, via: 'submitter' }] }],
        created_at: run.now,
        ended_at: null,
      };
      this.flow.touch(run, resubmit);
      this.flow.activate(run, token, node, resubmit, resubmit.slots[0]?.members[0] as Member);
      this.flow.pending(run).binding.push('returned');
      return row;
    }
    const steps = await stepsOfInstance(run.services.db, this.tables, run.instance.id);
    const earlier = steps.filter(
      (other) => other.state === 'approved' && other.mode !== 'resubmit' && other.element_id !== node.id,
    );
    const chosen =
      target === 'previous' ? earlier.at(-1) : earlier.find((other) => other.element_id === target);
    if (!chosen) {
      throw invalidInput(
        '/target',
        'no-earlier-step',
        target === 'previous'
          ? 'there is no earlier approval step to return to'
          : `'${target}' is not an approval step this instance passed`,
        target === 'previous' ? '没有可退回的之前审批步骤' : `'${target}' 不是本实例经过的审批步骤`,
      );
    }
    const back = run.node(chosen.element_id);
    const siblings = run.childrenOf(token.parentId).filter((other) => other.id !== token.id);
    if (back.scopeId !== node.scopeId || siblings.length > 0 || token.data.loopCounter !== undefined) {
      throw conflict(
        'return to that step is not possible from parallel branches or another (sub)process level',
        '无法从并行分支或其他（子）流程层级退回到该步骤',
      );
    }
    this.#reenter(run, token, back.id);
    return row;
  }

  /** The token goes (back) to `elementId`: its waits here end, the element starts afresh. */
  #reenter(run: Run, token: Token, elementId: string): void {
    run.clearWaits(token);
    run.changes.taskCancelTokens.push(token.id);
    run.record('element-terminated', token.elementId);
    run.arrive(token, elementId);
  }

  // Instance actions ///////////////////////////////////////////////////////////////////////////

  /** The submitter takes the approval back before any approver acted (撤回); the instance ends. */
  async recall(
    instanceId: string,
    input: unknown,
    actor: Actor,
    options: ActOptions = {},
  ): Promise<ActionResult> {
    const note = await readActionInput(this.db, this.tables, input, actor.userId);
    return this.#onInstance(instanceId, actor, options, async (run, tx) => {
      const steps = await this.#openSteps(tx, run);
      const returned = steps.some((step) => step.mode === 'resubmit');
      if (!returned) {
        const [acted] = await tx.query<{ id: string }>(
          sql`SELECT id FROM ${this.tables.actions} WHERE instance_id = ${run.instance.id} AND NOT automatic
            AND action IN (SELECT jsonb_array_elements_text(${JSON.stringify(ACTED)}::jsonb))
            AND id > coalesce((SELECT id FROM ${this.tables.actions} WHERE instance_id = ${run.instance.id}
              AND action = 'resubmit' ORDER BY id DESC LIMIT 1), '00000000-0000-0000-0000-000000000000'::uuid)
          LIMIT 1`,
        );
        if (acted)
          throw conflict(
            'an approver has already acted; it can no longer be recalled',
            '审批人已处理，无法撤回',
          );
      }
      for (const step of steps) {
        this.flow.touch(run, step);
        await this.flow.closeActive(run, step, 'cancelled');
        step.state = 'recalled';
        step.ended_at = run.now;
        this.flow.touch(run, step);
      }
      const row = this.flow.addAction(run, null, 'recall', this.#note(actor, note));
      run.record('approval-recalled', null, null, actor.userId);
      run.finishInstance('cancelled');
      return row;
    });
  }

  /** The submitter (or an administrator) reminds the approvers whose turn it is (催办). */
  async remind(
    instanceId: string,
    input: unknown,
    actor: Actor,
    options: ActOptions = {},
  ): Promise<ActionResult> {
    const note = await readActionInput(this.db, this.tables, input, actor.userId);
    return this.#onInstance(instanceId, actor, options, async (run, tx) => {
      const steps = (await this.#openSteps(tx, run)).filter((step) => step.mode !== 'resubmit');
      const users = [...new Set(steps.flatMap((step) => activeMembers(step.slots).map((m) => m.userId)))];
      if (users.length === 0) throw conflict('no approver is waited for', '当前没有待处理的审批人');
      const row = this.flow.addAction(run, steps[0] ?? null, 'remind', {
        ...this.#note(actor, note),
        data: { users },
      });
      this.#remindNotice(run, users);
      return row;
    });
  }

  async #openSteps(tx: Db, run: Run): Promise<StepRow[]> {
    return (await stepsOfInstance(tx, this.tables, run.instance.id)).filter((step) => step.state === 'open');
  }

  #note(actor: Actor, note: ActionInput): ActionNote {
    return { actor: actor.userId, automatic: false, comment: note.comment, attachments: note.attachments };
  }

  #remindNotice(run: Run, users: string[]): void {
    const name = run.graph.name ?? run.graph.processId;
    this.flow.pending(run).notifications.push({
      recipients: users,
      kind: 'approval-remind',
      title: { en: `Reminder: ${name} waits for your approval`, 'zh-CN': `催办：${name} 等待您审批` },
      link: this.flow.link(run),
    });
  }

  async #onInstance(
    instanceId: string,
    actor: Actor,
    options: ActOptions,
    work: (run: Run, tx: Db) => Promise<ActionRow>,
  ): Promise<ActionResult> {
    if (!isUuid(instanceId)) throw notFound(`workflow instance '${instanceId}'`);
    return this.workflows.command(instanceId, actor.userId, async (run, tx) => {
      if (!options.asAdmin && submitterOf(run) !== actor.userId) {
        throw localizedError('forbidden', '', 'not-submitter', {
          en: 'only the submitter may do this',
          'zh-CN': '只有发起人可以执行此操作',
        });
      }
      if (run.instance.state !== 'active') {
        throw conflict(`the approval is already over (${run.instance.state})`, '该审批已结束');
      }
      const action = await work(run, tx);
      return { action, instanceId: run.instance.id, instanceState: run.instance.state };
    });
  }

  async #task(db: Db, taskId: string): Promise<TaskRow> {
    const [row] = await db.query<TaskRow>(
      sql`SELECT ${TASK_COLUMNS} FROM ${this.workflows.tables.tasks} WHERE id = ${isUuid(taskId) ? taskId : null}`,
    );
    if (!row) throw notFound(`task '${taskId}'`);
    return normalizeTask(row);
  }
}

const approvalGraphs = new WeakMap<ProcessGraph, boolean>();

function hasApprovals(graph: ProcessGraph): boolean {
  let found = approvalGraphs.get(graph);
  if (found === undefined) {
    found = [...graph.nodes.values()].some((node) => node.approval !== undefined);
    approvalGraphs.set(graph, found);
  }
  return found;
}
