import { uuidv7 } from 'uuidv7';
import type { Db } from '../storage/db.ts';
import { fireReadyInclusiveJoins } from './elements/inclusive-gateway.ts';
import { enterMultiInstance, innerCompleted } from './elements/multi-instance.ts';
import { ExpressionError, type Variables } from './expression.ts';
import type { FlowNode, ProcessGraph, SequenceFlow } from './model.ts';
import type {
  HistoryRow,
  IncidentRow,
  InstanceRow,
  JobRow,
  SubscriptionRow,
  TaskRow,
  TokenRow,
} from './rows.ts';
import { firstDue as timerDue } from './timers.ts';

export type TokenState = 'active' | 'waiting' | 'scope' | 'joining';
export type WaitKind = 'task' | 'job' | 'timer' | 'message' | 'call' | 'event-gateway' | 'incident';

/** Where a token is and what it waits for. Scope tokens (subprocess, multi-instance body) have children. */
export interface Token {
  id: string;
  parentId: string | null;
  elementId: string;
  state: TokenState;
  /** Local variables: input mappings, a multi-instance element, a subprocess' own variables. */
  variables: Variables | null;
  data: TokenData;
  createdAt: string;
}

export interface TokenData {
  /** A joining token: the flow it came by. */
  flow?: string;
  wait?: WaitKind;
  /** An inner instance of a multi-instance activity (1-based). */
  loopCounter?: number;
  /** A multi-instance body. */
  mi?: MultiInstanceState;
  /** A call activity: the called instance. */
  calledInstance?: string;
}

export interface MultiInstanceState {
  items: unknown[];
  next: number;
  completed: number;
  active: number;
  outputs: unknown[];
}

/** Who is a candidate for a user task; approvals plug their own resolution in. */
export interface CandidateResolution {
  assignee: string | null;
  candidateUsers: string[];
  candidateGroups: string[];
}

export interface CandidateRequest {
  processId: string;
  elementId: string;
  variables: Variables;
  assignee: unknown;
  candidateUsers: unknown;
  candidateGroups: unknown;
}

/** What a run needs from outside: inline actions, candidate resolution, called processes' ids. */
export interface RunServices {
  now: Date;
  actor: string | null;
  resolveCandidates(request: CandidateRequest): CandidateResolution;
  /** Runs an action that needs no job (pure, e.g. set-variables); undefined when `type` is a job. */
  inlineAction(type: string): ((input: Variables, headers: Record<string, string>) => Variables) | undefined;
  jobRetries: number;
  /** The database of the command: its transaction, or the database for a start (reads only). */
  db: Db;
  /** What a token does on a user task with `crm:approval` (installed by the approvals service). */
  enterApproval?(run: Run, token: Token, node: FlowNode): Promise<void>;
  /** The workspace's time zone (IANA), in which cron schedules are read. */
  timeZone: string;
}

/** A called process to start in the same transaction, and instances to cancel after this one. */
export interface ChildStart {
  instanceId: string;
  processId: string;
  variables: Variables;
  parentTokenId: string;
}

/** The rows a command writes, gathered by a run and written in one statement. */
export interface Changes {
  instanceInsert: InstanceRow | null;
  instanceUpdate: InstanceRow | null;
  tokenInserts: TokenRow[];
  tokenUpdates: TokenRow[];
  tokenDeletes: string[];
  taskInserts: TaskRow[];
  taskCancelTokens: string[];
  taskComplete: { id: string; by: string | null; result: Variables } | null;
  jobInserts: JobRow[];
  jobDeleteTokens: string[];
  jobDeleteIds: string[];
  jobUpdates: JobRow[];
  subscriptionInserts: SubscriptionRow[];
  subscriptionDeleteTokens: string[];
  subscriptionDeleteIds: string[];
  incidentInserts: IncidentRow[];
  history: HistoryRow[];
  /** Writes of other tables (approval steps), run after these rows in the command's transaction. */
  afterWrites: ((db: Db) => Promise<void>)[];
}

const MAX_STEPS = 10_000;

/** One command's walk through a process instance: tokens move in memory, then the changes are written. */
export class Run {
  readonly tokens = new Map<string, Token>();
  readonly #loaded = new Map<string, string>();
  readonly #queue: (() => Promise<void> | void)[] = [];
  readonly children: ChildStart[] = [];
  readonly cancelledChildren: string[] = [];
  #steps = 0;
  readonly changes: Changes = {
    instanceInsert: null,
    instanceUpdate: null,
    tokenInserts: [],
    tokenUpdates: [],
    tokenDeletes: [],
    taskInserts: [],
    taskCancelTokens: [],
    taskComplete: null,
    jobInserts: [],
    jobDeleteTokens: [],
    jobDeleteIds: [],
    jobUpdates: [],
    subscriptionInserts: [],
    subscriptionDeleteTokens: [],
    subscriptionDeleteIds: [],
    incidentInserts: [],
    history: [],
    afterWrites: [],
  };
  readonly #instanceBefore: string;

  constructor(
    readonly graph: ProcessGraph,
    readonly instance: InstanceRow,
    tokens: TokenRow[],
    readonly services: RunServices,
    readonly isNew: boolean,
  ) {
    this.#instanceBefore = JSON.stringify(instance);
    for (const row of tokens) {
      const token: Token = {
        id: row.id,
        parentId: row.parent_id,
        elementId: row.element_id,
        state: row.state as TokenState,
        variables: row.variables,
        data: row.data ?? {},
        createdAt: row.created_at,
      };
      this.tokens.set(token.id, token);
      this.#loaded.set(token.id, JSON.stringify(token));
    }
  }

  get now(): string {
    return this.services.now.toISOString();
  }

  node(id: string): FlowNode {
    const node = this.graph.nodes.get(id);
    if (!node) throw new Error(`element ${id} is not in ${this.graph.processId} v${this.graph.version}`);
    return node;
  }

  // Tokens //////////////////////////////////////////////////////////////////////////////////////

  newToken(parentId: string | null, elementId: string, variables: Variables | null = null): Token {
    const token: Token = {
      id: uuidv7(),
      parentId,
      elementId,
      state: 'active',
      variables,
      data: {},
      createdAt: this.now,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  childrenOf(parentId: string | null): Token[] {
    return [...this.tokens.values()].filter((token) => token.parentId === parentId);
  }

  // Variables ///////////////////////////////////////////////////////////////////////////////////

  /** The variables an expression on `token` sees: the instance's, then each enclosing scope's, then its own. */
  variablesOf(token: Token | null): Variables {
    const chain: Token[] = [];
    for (
      let current = token;
      current;
      current = current.parentId ? (this.tokens.get(current.parentId) ?? null) : null
    ) {
      chain.unshift(current);
    }
    const merged: Variables = { ...this.instance.variables };
    for (const link of chain) if (link.variables) Object.assign(merged, link.variables);
    return merged;
  }

  /** Sets variables from `token` outwards: where a scope already has the name, else on the instance. */
  propagate(token: Token | null, variables: Variables): void {
    for (const [name, value] of Object.entries(variables)) {
      if (name === '__proto__') continue;
      let holder: Token | null = token?.parentId ? (this.tokens.get(token.parentId) ?? null) : null;
      while (holder && !(holder.variables && Object.hasOwn(holder.variables, name))) {
        holder = holder.parentId ? (this.tokens.get(holder.parentId) ?? null) : null;
      }
      if (holder?.variables) holder.variables[name] = value;
      else this.instance.variables[name] = value;
    }
  }

  // History /////////////////////////////////////////////////////////////////////////////////////

  record(
    event: string,
    elementId: string | null,
    data: Variables | null = null,
    actor = this.services.actor,
  ): void {
    this.changes.history.push({
      instance_id: this.instance.id,
      at: this.now,
      element_id: elementId,
      event,
      actor,
      data,
    });
  }

  // Moving tokens ///////////////////////////////////////////////////////////////////////////////

  /** `token` arrives at `nodeId` (by `flow`): queued, so loops without wait states run iteratively. */
  arrive(token: Token, nodeId: string, flow: SequenceFlow | null = null): void {
    this.#queue.push(() => this.#enter(token, this.node(nodeId), flow));
  }

  async #enter(token: Token, node: FlowNode, flow: SequenceFlow | null): Promise<void> {
    if (!this.tokens.has(token.id)) return; // cancelled meanwhile
    token.elementId = node.id;
    token.state = 'active';
    delete token.data.wait;
    if (flow) token.data.flow = flow.id;
    if (node.multi && token.data.loopCounter === undefined) {
      this.record('element-activated', node.id);
      this.#armBoundaries(token, node);
      enterMultiInstance(this, token, node);
      return;
    }
    if (node.inputs.length > 0) {
      const scope = this.variablesOf(token);
      const locals: Variables = token.variables ?? {};
      for (const input of node.inputs) {
        locals[input.target] = input.source.evaluate({ ...scope, ...locals });
      }
      token.variables = locals;
    }
    this.record('element-activated', node.id);
    if (token.data.loopCounter === undefined) this.#armBoundaries(token, node);
    await node.kind.enter(this, token, node);
  }

  /** Timer boundary events start waiting when their activity starts. */
  #armBoundaries(token: Token, node: FlowNode): void {
    for (const boundaryId of node.boundaries) {
      const boundary = this.node(boundaryId);
      if (boundary.timer) this.scheduleTimer(token, boundary);
    }
  }

  /** The token waits at its element for `wait`. */
  wait(token: Token, wait: WaitKind): void {
    token.state = 'waiting';
    token.data.wait = wait;
  }

  /** The element of `token` is done: outputs, then on along its outgoing flows (or end the token). */
  leave(token: Token, result: Variables | null = null): void {
    const node = this.node(token.elementId);
    this.clearWaits(token);
    if (token.data.mi) {
      const mi = token.data.mi;
      if (node.multi?.outputCollection) this.propagate(token, { [node.multi.outputCollection]: mi.outputs });
    } else if (node.outputs.length > 0) {
      const scope = { ...this.variablesOf(token), ...(result ?? {}) };
      const outputs: Variables = {};
      for (const output of node.outputs) outputs[output.target] = output.source.evaluate(scope);
      this.propagate(token, outputs);
    } else if (result) {
      this.propagate(token, result);
    }
    this.record('element-completed', node.id);
    token.variables = null;
    delete token.data.flow;
    if (token.data.loopCounter !== undefined) {
      this.#queue.push(() => innerCompleted(this, token, node, result));
      return;
    }
    delete token.data.mi;
    this.take(token, node.outgoing);
  }

  /** Sends `token` along `flows`: the first flow keeps the token, each further one gets a new token. */
  take(token: Token, flows: SequenceFlow[]): void {
    if (flows.length === 0) {
      this.endToken(token);
      return;
    }
    flows.forEach((flow, index) => {
      const moving = index === 0 ? token : this.newToken(token.parentId, token.elementId);
      this.record('flow-taken', flow.id);
      this.arrive(moving, flow.target, flow);
    });
  }

  /** The token is done; when it was the last of its scope, the scope completes. */
  endToken(token: Token): void {
    this.#remove(token);
    this.#scopeMaybeDone(token.parentId);
  }

  /** Removes a token that merged into another (a join): its scope goes on. */
  endTokenQuietly(token: Token): void {
    this.#remove(token);
  }

  #scopeMaybeDone(parentId: string | null): void {
    if (this.childrenOf(parentId).length > 0) return;
    if (parentId === null) {
      if (this.instance.state === 'active') this.finishInstance('completed');
      return;
    }
    const parent = this.tokens.get(parentId);
    if (parent && parent.state === 'scope' && !parent.data.mi) this.leave(parent);
  }

  /**
   * Ends the instance; a called instance tells its caller (with `error`, the error it ended by).
   * `note` goes into the history entry (an administrator's reason for a cancel).
   */
  finishInstance(
    state: 'completed' | 'terminated' | 'cancelled',
    error: { code: string; message: string } | null = null,
    note: Variables | null = null,
  ): void {
    for (const token of this.childrenOf(null)) this.cancelToken(token);
    this.instance.state = state;
    this.instance.ended_at = this.now;
    this.record(
      `instance-${state}`,
      null,
      error ? { errorCode: error.code, errorMessage: error.message, ...note } : note,
    );
    if (this.instance.parent_instance_id && this.instance.parent_token_id && state !== 'cancelled') {
      this.changes.jobInserts.push(
        this.jobRow({
          instance_id: this.instance.parent_instance_id,
          token_id: this.instance.parent_token_id,
          element_id: null,
          kind: 'call-done',
          payload: { variables: this.instance.variables, childInstanceId: this.instance.id, error },
        }),
      );
    }
  }

  /** Removes a token and everything under it: child tokens, its task, jobs, subscriptions, called instance. */
  cancelToken(token: Token): void {
    for (const child of this.childrenOf(token.id)) this.cancelToken(child);
    if (token.data.calledInstance) this.cancelledChildren.push(token.data.calledInstance);
    if (token.data.wait === 'task') {
      if (this.#loaded.has(token.id)) this.changes.taskCancelTokens.push(token.id);
      else this.changes.taskInserts = this.changes.taskInserts.filter((task) => task.token_id !== token.id);
    }
    this.clearWaits(token);
    this.record('element-terminated', token.elementId);
    this.#remove(token);
  }

  #remove(token: Token): void {
    this.tokens.delete(token.id);
  }

  /** Drops the jobs (timers, service jobs) and message subscriptions of `token`. */
  clearWaits(token: Token): void {
    const pendingJobs = this.changes.jobInserts.filter(
      (job) => job.token_id === token.id && job.kind !== 'call-done',
    );
    if (pendingJobs.length > 0) {
      this.changes.jobInserts = this.changes.jobInserts.filter((job) => !pendingJobs.includes(job));
    }
    this.changes.subscriptionInserts = this.changes.subscriptionInserts.filter(
      (sub) => sub.token_id !== token.id,
    );
    if (this.#loaded.has(token.id)) {
      this.changes.jobDeleteTokens.push(token.id);
      this.changes.subscriptionDeleteTokens.push(token.id);
    }
  }

  // Waits ///////////////////////////////////////////////////////////////////////////////////////

  jobRow(values: Pick<JobRow, 'instance_id' | 'token_id' | 'element_id' | 'kind'> & Partial<JobRow>): JobRow {
    return {
      id: uuidv7(),
      process_id: this.graph.processId,
      version: this.graph.version,
      due_at: this.now,
      attempts: 0,
      retries: this.services.jobRetries,
      locked_until: null,
      locked_by: null,
      last_error: null,
      payload: null,
      created_at: this.now,
      ...values,
    };
  }

  /** A timer job for `node`'s timer, waited on by `token`. */
  scheduleTimer(token: Token, node: FlowNode): void {
    const timer = node.timer;
    if (!timer) return;
    const value = String(timer.value.evaluate(this.variablesOf(token)) ?? '');
    const due = timerDue(timer.kind, value, this.services.now, this.services.timeZone);
    if (!due) throw new ExpressionError(`the timer '${value}' is not a valid ${timer.kind}`);
    this.changes.jobInserts.push(
      this.jobRow({
        instance_id: this.instance.id,
        token_id: token.id,
        element_id: node.id,
        kind: 'timer',
        due_at: due.toISOString(),
        payload: { timer: value, kind: timer.kind, fired: 0 },
      }),
    );
  }

  /** A message subscription for `node`, waited on by `token`. */
  subscribe(token: Token, node: FlowNode): void {
    const message = node.message;
    if (!message) return;
    const variables = this.variablesOf(token);
    const name = String(message.name.evaluate(variables) ?? '');
    const key = message.correlationKey ? message.correlationKey.evaluate(variables) : null;
    if (name === '') throw new ExpressionError('the message name is empty');
    if (message.correlationKey && (key === null || key === undefined)) {
      throw new ExpressionError(`the correlation key '${message.correlationKey.source}' is null`);
    }
    this.changes.subscriptionInserts.push({
      id: uuidv7(),
      instance_id: this.instance.id,
      token_id: token.id,
      element_id: node.id,
      process_id: this.graph.processId,
      version: this.graph.version,
      message_name: name,
      correlation_key: key === null ? null : String(key),
      created_at: this.now,
    });
  }

  /** An incident on `token`: it waits there until an admin retries. */
  incident(token: Token, kind: string, message: string, jobId: string | null = null): void {
    this.wait(token, 'incident');
    this.changes.incidentInserts.push({
      id: uuidv7(),
      instance_id: this.instance.id,
      token_id: token.id,
      job_id: jobId,
      element_id: token.elementId,
      kind,
      message,
      created_at: this.now,
      resolved_at: null,
      resolved_by: null,
    });
    this.record('incident-created', token.elementId, { kind, message });
  }

  // Errors //////////////////////////////////////////////////////////////////////////////////////

  /**
   * A BPMN error thrown at `token` (an error end event, or a job that failed with an error code):
   * caught by the nearest error boundary on the token's own activity or an enclosing one.
   * @returns false when nothing catches it
   */
  throwError(token: Token, code: string, message: string, includeSelf: boolean): boolean {
    let current: Token | null = includeSelf
      ? token
      : token.parentId
        ? (this.tokens.get(token.parentId) ?? null)
        : null;
    while (current) {
      const node = this.node(current.elementId);
      const catcher = node.boundaries
        .map((id) => this.node(id))
        .find(
          (boundary) =>
            boundary.errorCode !== undefined && (boundary.errorCode === null || boundary.errorCode === code),
        );
      // an inner multi-instance token's boundaries belong to its body (its parent)
      if (catcher && current.data.loopCounter === undefined) {
        this.triggerBoundary(current, catcher, { errorCode: code, errorMessage: message });
        return true;
      }
      current = current.parentId ? (this.tokens.get(current.parentId) ?? null) : null;
    }
    return false;
  }

  /**
   * A BPMN error: caught by the nearest error boundary in this instance; else a called instance ends
   * and hands it to its caller's call activity (caught there or further up); else an incident.
   */
  raiseError(token: Token, code: string, message: string, includeSelf: boolean): void {
    if (this.throwError(token, code, message, includeSelf)) return;
    if (this.instance.parent_instance_id && this.instance.parent_token_id) {
      this.record('error-propagated', token.elementId, { errorCode: code, errorMessage: message });
      this.finishInstance('terminated', { code, message });
      return;
    }
    this.incident(token, 'unhandled-error', `no boundary event catches the error '${code}': ${message}`);
  }

  /** A boundary event fires on the activity `host` waits at. */
  triggerBoundary(host: Token, boundary: FlowNode, variables: Variables | null): void {
    const parentId = host.parentId;
    if (boundary.cancelActivity !== false) this.cancelToken(host);
    const token = this.newToken(parentId, boundary.id);
    this.record('element-activated', boundary.id);
    if (variables) this.propagate(token, variables);
    this.record('element-completed', boundary.id);
    this.take(token, boundary.outgoing);
  }

  // Running /////////////////////////////////////////////////////////////////////////////////////

  /** Runs queued steps until every token waits or is gone; a failing step becomes an incident. */
  async drain(): Promise<void> {
    for (;;) {
      while (this.#queue.length > 0) {
        if (++this.#steps > MAX_STEPS)
          throw new Error('the process ran more than 10000 steps without waiting');
        const step = this.#queue.shift() as () => Promise<void> | void;
        try {
          await step();
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          const failing = this.#failingToken();
          if (failing) this.incident(failing, 'expression', error.message);
          else throw error;
        }
      }
      if (!fireReadyInclusiveJoins(this)) break;
    }
  }

  /** The active token a failing step was working on (steps work on one token at a time). */
  #failingToken(): Token | undefined {
    return [...this.tokens.values()].reverse().find((token) => token.state === 'active');
  }

  /** Fills `changes` with the token and instance rows to write. */
  finish(): Changes {
    for (const token of this.tokens.values()) {
      const row = toRow(this.instance.id, token);
      const before = this.#loaded.get(token.id);
      if (before === undefined) this.changes.tokenInserts.push(row);
      else if (before !== JSON.stringify(token)) this.changes.tokenUpdates.push(row);
    }
    for (const id of this.#loaded.keys()) if (!this.tokens.has(id)) this.changes.tokenDeletes.push(id);
    if (this.isNew) this.changes.instanceInsert = this.instance;
    else if (JSON.stringify(this.instance) !== this.#instanceBefore)
      this.changes.instanceUpdate = this.instance;
    return this.changes;
  }
}

function toRow(instanceId: string, token: Token): TokenRow {
  return {
    id: token.id,
    instance_id: instanceId,
    parent_id: token.parentId,
    element_id: token.elementId,
    state: token.state,
    variables: token.variables,
    data: token.data,
    created_at: token.createdAt,
  };
}
