import { SYSTEM_FIELDS } from '../definitions/names.ts';
import type { LocaleText, ModuleDefinition } from '../definitions/types.ts';
import { EngineError } from '../errors.ts';
import type { OutboundHttp } from '../net/request.ts';
import type { RecordService } from '../records/service.ts';
import { SYSTEM_ACTOR } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
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
  /** HTTP calls out of the server, under the admin's outbound policy (no loopback or private addresses by default). */
  http: OutboundHttp;
}

/** One input (a `zeebe:input` target, or with `header` a `zeebe:header` key) or output of an action. */
export interface ActionParameter {
  name: string;
  type: 'text' | 'number' | 'boolean' | 'object' | 'list' | 'any';
  required?: boolean;
  /** A task header (literal text) rather than an input mapping (FEEL). */
  header?: boolean;
  label: LocaleText;
}

/** What the modeler's palette shows of an action, and what it lets admins fill in. */
export interface ActionDescription {
  label: LocaleText;
  description: LocaleText;
  inputs: ActionParameter[];
  outputs: ActionParameter[];
}

/**
 * What a deploy knows of one service task's settings: its headers, which inputs it maps, and the
 * value of each input whose mapping is a constant (literal text, or FEEL reading no variable).
 */
export interface KnownSettings {
  headers: Record<string, string>;
  inputs: ReadonlySet<string>;
  constants: Variables;
  /** The keys of inputs mapped to a FEEL context literal (`={ stage: "won", amount: total }`). */
  contextKeys: Record<string, string[]>;
  /** The module of the process's `crm:record` (null when the process is about no record). */
  recordModule: string | null;
  /** A published module by name (or the one the deploying package publishes); null when there is none. */
  module(name: string): Promise<ModuleDefinition | null>;
}

/** A setting of a service task that cannot work, found at deploy. */
export interface SettingProblem {
  /** The input or header it concerns. */
  setting: string;
  code: string;
  en: string;
  'zh-CN': string;
}

/**
 * An action for service tasks of one `zeebe:taskDefinition type`. `inline` actions are pure and run
 * inside the command that reaches the task; `run` actions become jobs, executed at least once by the
 * job runner with retries and backoff, then an incident; `transactional` actions are jobs too, but run
 * inside the transaction that completes the job (database work only: exactly once).
 */
export interface WorkflowAction {
  type: string;
  describe?: ActionDescription;
  inline?(input: Variables, headers: Record<string, string>): Variables;
  run?(context: ActionContext): Promise<Variables | undefined>;
  transactional?(tx: Db, context: ActionContext): Promise<Variables | undefined>;
  /** Deploy-time checks of what is known of a task's settings (beyond its required inputs). */
  checkSettings?(settings: KnownSettings): Promise<SettingProblem[]> | SettingProblem[];
}

/** One input, header or output of an action as the modeler's palette lists it. */
export interface PaletteParameter {
  name: string;
  type: string;
  required: boolean;
  description: LocaleText;
}

/** An action as the modeler's palette lists it. */
export interface ActionPaletteEntry {
  type: string;
  label: LocaleText;
  description: LocaleText | null;
  /** `inline` runs within the command reaching the task; `job` is run by the job runner, with retries. */
  mode: 'inline' | 'job';
  inputs: PaletteParameter[];
  headers: PaletteParameter[];
  outputs: PaletteParameter[];
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
    const ways = [action.inline, action.run, action.transactional].filter(Boolean).length;
    if (ways !== 1)
      throw new Error(`action '${action.type}' needs exactly one of inline, run and transactional`);
    this.#actions.set(action.type, action);
  }

  get(type: string): WorkflowAction | undefined {
    return this.#actions.get(type);
  }

  has(type: string): boolean {
    return this.#actions.has(type);
  }

  /** Every registered action as the modeler's palette lists it: inputs and headers apart. */
  describe(): ActionPaletteEntry[] {
    const parameter = (p: ActionParameter): PaletteParameter => ({
      name: p.name,
      type: p.type,
      required: p.required === true,
      description: p.label,
    });
    return [...this.#actions.values()]
      .sort((a, b) => a.type.localeCompare(b.type))
      .map(({ type, inline, describe }) => ({
        type,
        label: describe?.label ?? { en: type, 'zh-CN': type },
        description: describe?.description ?? null,
        mode: inline ? 'inline' : 'job',
        inputs: (describe?.inputs ?? []).filter((p) => !p.header).map(parameter),
        headers: (describe?.inputs ?? []).filter((p) => p.header).map(parameter),
        outputs: (describe?.outputs ?? []).map(parameter),
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

const recordInputs = (withId: boolean): ActionParameter[] => [
  {
    name: 'module',
    type: 'text',
    label: { en: "Module (default: the flow's record's)", 'zh-CN': '模块（默认：流程绑定记录的模块）' },
  },
  ...(withId
    ? [
        {
          name: 'recordId',
          type: 'text',
          label: { en: "Record id (default: the flow's record)", 'zh-CN': '记录 id（默认：流程绑定的记录）' },
        } as ActionParameter,
      ]
    : []),
  {
    name: 'values',
    type: 'object',
    required: true,
    label: { en: 'Field values', 'zh-CN': '字段值' },
  },
  {
    name: 'resultVariable',
    type: 'text',
    header: true,
    label: { en: 'Result variable (default: record)', 'zh-CN': '结果变量（默认 record）' },
  },
];

const recordOutput: ActionParameter[] = [
  { name: 'record', type: 'object', label: { en: 'The record as stored', 'zh-CN': '保存后的记录' } },
];

/** The module of a record action: its input, its header, else the module the flow is bound to. */
function moduleOf({ input, headers, variables }: ActionContext): string {
  return text(input.module ?? headers.module ?? variables.module, 'module');
}

/**
 * A record action's module and field values as far as a deploy knows them: the module (its input,
 * header, else the process's record module) is published, and the keys of a `values` context literal
 * are its fields.
 */
async function checkRecordSettings(settings: KnownSettings): Promise<SettingProblem[]> {
  const { constants, headers, inputs, contextKeys, recordModule } = settings;
  if (inputs.has('module') && !('module' in constants)) return [];
  const named = constants.module ?? headers.module ?? recordModule;
  if (typeof named !== 'string' || named === '') {
    return [
      {
        setting: 'module',
        code: 'missing-setting',
        en: 'names no module, and the process has no crm:record module to default to',
        'zh-CN': '未指定模块，流程也没有可作为默认值的 crm:record 模块',
      },
    ];
  }
  const definition = await settings.module(named);
  if (!definition) {
    return [
      {
        setting: 'module',
        code: 'unknown-module',
        en: `'${named}' is not a published module`,
        'zh-CN': `“${named}”不是已发布的模块`,
      },
    ];
  }
  const known = new Set([...definition.fields.map((field) => field.name), ...SYSTEM_FIELDS]);
  const unknown = (contextKeys.values ?? []).filter((key) => !known.has(key));
  return unknown.map((key) => ({
    setting: 'values',
    code: 'unknown-field',
    en: `'${key}' is not a field of '${named}'`,
    'zh-CN': `“${key}”不是模块“${named}”的字段`,
  }));
}

/**
 * set-variables, update-record and create-record. Record actions write as the system, so they pass
 * the record lock of a flow and start no record triggers (a flow cannot retrigger itself).
 */
export function builtInActions(records: RecordService): WorkflowAction[] {
  return [
    {
      type: 'set-variables',
      describe: {
        label: { en: 'Set variables', 'zh-CN': '设置变量' },
        description: {
          en: "The task's input mappings become process variables",
          'zh-CN': '任务的输入映射成为流程变量',
        },
        inputs: [],
        outputs: [],
      },
      // the task's input mappings are the variables to set
      inline: (input) => input,
    },
    {
      type: 'update-record',
      describe: {
        label: { en: 'Update a record', 'zh-CN': '更新记录' },
        description: {
          en: "Changes fields of a record, by default the flow's own record",
          'zh-CN': '修改记录的字段，默认修改流程绑定的记录',
        },
        inputs: recordInputs(true),
        outputs: recordOutput,
      },
      checkSettings: checkRecordSettings,
      async run(context) {
        const id = text(context.input.recordId ?? context.variables.recordId, 'recordId');
        const values = object(context.input.values, 'values');
        const record = await records.update(moduleOf(context), id, values, SYSTEM_ACTOR);
        return { [context.headers.resultVariable || 'record']: record };
      },
    },
    {
      type: 'create-record',
      describe: {
        label: { en: 'Create a record', 'zh-CN': '新建记录' },
        description: {
          en: "Creates a record, by default in the flow's module",
          'zh-CN': '新建一条记录，默认在流程绑定的模块中',
        },
        inputs: recordInputs(false),
        outputs: recordOutput,
      },
      checkSettings: checkRecordSettings,
      async run(context) {
        const values = object(context.input.values, 'values');
        const record = await records.create(moduleOf(context), values, SYSTEM_ACTOR);
        return { [context.headers.resultVariable || 'record']: record };
      },
    },
  ];
}
