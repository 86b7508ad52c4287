import { EngineError } from '../errors.ts';
import type { RecordService } from '../records/service.ts';
import { SYSTEM_ACTOR } from '../records/types.ts';
import type { Variables } from './expression.ts';

/** What a service task's action gets: its inputs (the task's input mappings), headers and all variables. */
export interface ActionContext {
  instanceId: string;
  processId: string;
  elementId: string;
  /** The same for every attempt of this task's job: pass it to external systems to make retries safe. */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  input: Variables;
  headers: Record<string, string>;
  variables: Variables;
  now: Date;
}

/**
 * An action for service tasks of one `zeebe:taskDefinition type`. `inline` actions are pure and run
 * inside the command that reaches the task; `run` actions become jobs, executed at least once by the
 * job runner with retries and backoff, then an incident.
 */
export interface WorkflowAction {
  type: string;
  inline?(input: Variables, headers: Record<string, string>): Variables;
  run?(context: ActionContext): Promise<Variables | undefined>;
}

/** Thrown by an action to raise a BPMN error, caught by an error boundary event with that code. */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message = `BPMN error ${code}`,
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

export class ActionRegistry {
  readonly #actions = new Map<string, WorkflowAction>();

  register(action: WorkflowAction): void {
    if (!action.inline === !action.run)
      throw new Error(`action '${action.type}' needs exactly one of inline and run`);
    this.#actions.set(action.type, action);
  }

  get(type: string): WorkflowAction | undefined {
    return this.#actions.get(type);
  }

  has(type: string): boolean {
    return this.#actions.has(type);
  }
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new EngineError('invalid-input', `the action needs the input '${name}' (text)`);
  }
  return value;
}

function object(value: unknown, name: string): Variables {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EngineError(
      'invalid-input',
      `the action needs the input '${name}' (an object of field values)`,
    );
  }
  return value as Variables;
}

/** set-variables, update-record and create-record. Record actions write as the system. */
export function builtInActions(records: RecordService): WorkflowAction[] {
  return [
    {
      type: 'set-variables',
      // the task's input mappings are the variables to set
      inline: (input) => input,
    },
    {
      type: 'update-record',
      async run({ input, headers }) {
        const module = text(input.module ?? headers.module, 'module');
        const id = text(input.recordId, 'recordId');
        const record = await records.update(module, id, object(input.values, 'values'), SYSTEM_ACTOR);
        return { [headers.resultVariable ?? 'record']: record };
      },
    },
    {
      type: 'create-record',
      async run({ input, headers }) {
        const module = text(input.module ?? headers.module, 'module');
        const record = await records.create(module, object(input.values, 'values'), SYSTEM_ACTOR);
        return { [headers.resultVariable ?? 'record']: record };
      },
    },
  ];
}
