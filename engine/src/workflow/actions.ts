import type { LocaleText } from '../definitions/types.ts';
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
  /** What the palette calls the action. */
  label?: LocaleText;
  description?: LocaleText;
  /** The task's input mappings the action reads (`zeebe:input target`). */
  inputs?: ActionParameter[];
  /** Task headers it reads (`zeebe:header key`). */
  headers?: ActionParameter[];
  /** Variables it sets when it completes. */
  outputs?: ActionParameter[];
  inline?(input: Variables, headers: Record<string, string>): Variables;
  run?(context: ActionContext): Promise<Variables | undefined>;
}

/** One input, header or output of an action, as the modeler's palette describes it. */
export interface ActionParameter {
  name: string;
  /** `text`, `object` (field values by name), `record`, `any` … */
  type: string;
  required?: boolean;
  description: LocaleText;
}

/** An action as the modeler lists it. */
export interface ActionDescription {
  type: string;
  label: LocaleText;
  description: LocaleText | null;
  /** `inline` runs within the command reaching the task; `job` is run by the job runner, with retries. */
  mode: 'inline' | 'job';
  inputs: ActionParameter[];
  headers: ActionParameter[];
  outputs: ActionParameter[];
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

  /** Every registered action, by type. */
  describe(): ActionDescription[] {
    return [...this.#actions.values()]
      .sort((a, b) => a.type.localeCompare(b.type))
      .map((action) => ({
        type: action.type,
        label: action.label ?? { en: action.type, 'zh-CN': action.type },
        description: action.description ?? null,
        mode: action.inline ? 'inline' : 'job',
        inputs: action.inputs ?? [],
        headers: action.headers ?? [],
        outputs: action.outputs ?? [],
      }));
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
      label: { en: 'Set variables', 'zh-CN': '设置变量' },
      description: {
        en: "Sets the process variables named by the task's input mappings to their FEEL values",
        'zh-CN': '将任务输入映射中的各项按其 FEEL 值设为流程变量',
      },
      outputs: [
        {
          name: '*',
          type: 'any',
          description: { en: 'Each input mapping becomes a variable', 'zh-CN': '每个输入映射成为一个变量' },
        },
      ],
      // the task's input mappings are the variables to set
      inline: (input) => input,
    },
    {
      type: 'update-record',
      ...recordAction(
        { en: 'Update a record', 'zh-CN': '更新记录' },
        {
          en: 'Changes fields of a record as the system (validation, formulas and history as for any change)',
          'zh-CN': '以系统身份修改一条记录的字段（与普通修改一样校验、计算公式并记录历史）',
        },
        [
          {
            name: 'recordId',
            type: 'text',
            required: true,
            description: { en: 'The id of the record to change', 'zh-CN': '要修改的记录 ID' },
          },
        ],
      ),
      async run({ input, headers }) {
        const module = text(input.module ?? headers.module, 'module');
        const id = text(input.recordId, 'recordId');
        const record = await records.update(module, id, object(input.values, 'values'), SYSTEM_ACTOR);
        return { [headers.resultVariable ?? 'record']: record };
      },
    },
    {
      type: 'create-record',
      ...recordAction(
        { en: 'Create a record', 'zh-CN': '创建记录' },
        {
          en: 'Creates a record as the system (validation, formulas and defaults as for any create)',
          'zh-CN': '以系统身份创建一条记录（与普通创建一样校验、计算公式和默认值）',
        },
        [],
      ),
      async run({ input, headers }) {
        const module = text(input.module ?? headers.module, 'module');
        const record = await records.create(module, object(input.values, 'values'), SYSTEM_ACTOR);
        return { [headers.resultVariable ?? 'record']: record };
      },
    },
  ];
}

/** The palette description shared by the record actions. */
function recordAction(
  label: LocaleText,
  description: LocaleText,
  inputs: ActionParameter[],
): Pick<WorkflowAction, 'label' | 'description' | 'inputs' | 'headers' | 'outputs'> {
  const module: ActionParameter = {
    name: 'module',
    type: 'text',
    description: {
      en: 'The module (name or id); may be given as a header instead',
      'zh-CN': '模块（名称或 ID），也可以在任务头中给出',
    },
  };
  return {
    label,
    description,
    inputs: [
      { ...module, required: false },
      ...inputs,
      {
        name: 'values',
        type: 'object',
        required: true,
        description: { en: 'Field values by field name', 'zh-CN': '按字段名给出的字段值' },
      },
    ],
    headers: [
      module,
      {
        name: 'resultVariable',
        type: 'text',
        description: {
          en: "The variable the record is put in (default 'record')",
          'zh-CN': "保存记录的变量名（默认 'record'）",
        },
      },
    ],
    outputs: [
      {
        name: 'record',
        type: 'record',
        description: { en: 'The record as written', 'zh-CN': '写入后的记录' },
      },
    ],
  };
}
