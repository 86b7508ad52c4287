import type { ModdleElement } from 'bpmn-moddle';
import type { Expr } from './expression.ts';
import type { WorkflowProblem } from './problems.ts';
import type { RecordBinding } from './record-binding.ts';
import type { Run, Token } from './run.ts';
import type { TimerKind } from './timers.ts';

/** A process as the interpreter runs it: compiled once per (process id, version), then read-only. */
export interface ProcessGraph {
  processId: string;
  version: number;
  name: string | null;
  nodes: Map<string, FlowNode>;
  /** The none start event of the process (absent when it only starts by timer or message). */
  startId: string | null;
  /** Start events with a timer or a message. */
  eventStarts: FlowNode[];
  /** `crm:record`: the module whose records this process is about (null: not about records). */
  record: RecordBinding | null;
}

export interface SequenceFlow {
  id: string;
  source: string;
  target: string;
  condition: Expr | null;
}

/** An input or output mapping (`zeebe:ioMapping`): `source` evaluated, stored as `target`. */
export interface Mapping {
  source: Expr;
  target: string;
}

export interface MultiInstance {
  sequential: boolean;
  inputCollection: Expr;
  inputElement: string | null;
  outputCollection: string | null;
  outputElement: Expr | null;
  completion: Expr | null;
}

export interface TimerSpec {
  kind: TimerKind;
  value: Expr;
}

export interface MessageSpec {
  name: Expr;
  correlationKey: Expr | null;
}

export interface Assignment {
  assignee: Expr | null;
  candidateUsers: Expr | null;
  candidateGroups: Expr | null;
}

export interface FlowNode {
  id: string;
  /** The BPMN type without prefix: `userTask`, `exclusiveGateway` … */
  type: string;
  name: string | null;
  kind: ElementKind;
  /** The enclosing embedded subprocess, null at the process level. */
  scopeId: string | null;
  incoming: string[];
  outgoing: SequenceFlow[];
  defaultFlow: string | null;
  inputs: Mapping[];
  outputs: Mapping[];
  /** Boundary events attached to this activity. */
  boundaries: string[];
  multi: MultiInstance | null;
  timer?: TimerSpec;
  message?: MessageSpec;
  /** An error end event's code, or the code an error boundary catches (null: any). */
  errorCode?: string | null;
  terminate?: boolean;
  job?: { type: string; retries: number; headers: Record<string, string> };
  assignment?: Assignment;
  called?: { processId: Expr; propagateAllChildVariables: boolean; propagateAllParentVariables: boolean };
  /** An embedded subprocess: its none start event. */
  startId?: string;
  attachedTo?: string;
  cancelActivity?: boolean;
  /** An inclusive join: the nodes of its scope from which it can still be reached. */
  reachableFrom?: Set<string>;
}

/** What a compiler of one element kind sees besides the element. */
export interface CompileContext {
  problems: WorkflowProblem[];
  /** The `zeebe:`/`crm:` extension element of `type` on `element`, if any. */
  extension(element: ModdleElement, type: string): ModdleElement | undefined;
  /** Compiles a setting (FEEL when it starts with `=`). */
  expr(source: string | undefined, elementId: string, setting: string, feelOnly?: boolean): Expr | undefined;
  refuse(elementId: string, code: string, messages: { en: string; 'zh-CN': string }): void;
  /** Whether the action registry knows a service task type. */
  isKnownJobType(type: string): boolean;
}

/** One BPMN element kind: how it is checked and compiled, and what a token does on it. */
export interface ElementKind {
  /** bpmn-moddle `$type`s this kind handles. */
  types: string[];
  /** Checks the element against the supported subset and fills the kind's settings on `node`. */
  compile(element: ModdleElement, node: FlowNode, context: CompileContext): void;
  /** A token arrives: do the work, then `run.leave(token)` to go on, or leave it waiting. */
  enter(run: Run, token: Token, node: FlowNode): Promise<void> | void;
}
