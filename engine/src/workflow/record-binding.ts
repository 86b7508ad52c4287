import type { ModdleElement } from 'bpmn-moddle';
import type { ModuleDefinition } from '../definitions/types.ts';
import { optionsOf } from '../fields/options.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import type { CompileContext, ProcessGraph } from './model.ts';
import { lintProblem, type WorkflowProblem } from './problems.ts';

/** The values a process's status field takes at each point of an approval. */
export interface StatusValues {
  pending: string;
  approved: string;
  rejected: string;
  recalled: string;
}

/** `crm:record` on a process: the module whose records the flow is about. */
export interface RecordBinding {
  module: string;
  /** Users may not change or delete the record while the instance is active. */
  lock: boolean;
  /** A single-select field of the module kept at the approval's state. */
  statusField: string | null;
  statuses: StatusValues;
}

export const DEFAULT_STATUSES: StatusValues = {
  pending: 'in_approval',
  approved: 'approved',
  rejected: 'rejected',
  recalled: 'recalled',
};

/** What the workflow engine may ask of the module side: published definitions and record values. */
export interface WorkflowRecordAccess {
  /** The published definition of a module by name (null when none is published), read through `db`. */
  publishedModule(name: string, db: Db): Promise<ModuleDefinition | null>;
  /** A record's stored field values with its id; throws not-found when `actor` may not read it. */
  read(module: string, id: string, actor: Actor): Promise<Record<string, unknown>>;
}

export function compileRecordBinding(process: ModdleElement, context: CompileContext): RecordBinding | null {
  const setting = context.extension(process, 'crm:Record');
  if (!setting) return null;
  const processId = process.id ?? '';
  const module = typeof setting.module === 'string' ? setting.module.trim() : '';
  if (module === '') {
    context.refuse(processId, 'record-module-required', {
      en: 'crm:record needs the module attribute',
      'zh-CN': 'crm:record 需要 module 属性',
    });
    return null;
  }
  const text = (value: unknown, fallback: string) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
  return {
    module,
    lock: setting.lock === true,
    statusField: text(setting.statusField, '') || null,
    statuses: {
      pending: text(setting.pending, DEFAULT_STATUSES.pending),
      approved: text(setting.approved, DEFAULT_STATUSES.approved),
      rejected: text(setting.rejected, DEFAULT_STATUSES.rejected),
      recalled: text(setting.recalled, DEFAULT_STATUSES.recalled),
    },
  };
}

/**
 * Checks bindings against the modules published at deploy time (inside the deploy's transaction, so
 * a package that publishes the module and deploys its flow together passes): the module exists and
 * the status field is a single select offering every status value.
 */
export async function recordBindingProblems(
  processes: ProcessGraph[],
  access: WorkflowRecordAccess,
  db: Db,
  modulesAfter?: ReadonlyMap<string, ModuleDefinition>,
): Promise<WorkflowProblem[]> {
  const problems: WorkflowProblem[] = [];
  for (const { processId, record } of processes) {
    if (!record) continue;
    const definition = modulesAfter?.get(record.module) ?? (await access.publishedModule(record.module, db));
    if (!definition) {
      problems.push(
        lintProblem(processId, 'unknown-module', {
          en: `crm:record names the module '${record.module}', which is not published`,
          'zh-CN': `crm:record 指定的模块 '${record.module}' 尚未发布`,
        }),
      );
      continue;
    }
    if (!record.statusField) continue;
    const field = definition.fields.find((each) => each.name === record.statusField);
    if (field?.type !== 'select') {
      problems.push(
        lintProblem(processId, 'status-field-not-select', {
          en: `the status field '${record.statusField}' must be a single-select field of '${record.module}'`,
          'zh-CN': `状态字段 '${record.statusField}' 必须是模块 '${record.module}' 的单选字段`,
        }),
      );
      continue;
    }
    const offered = new Set(optionsOf(field).map((option) => option.value));
    const missing = Object.values(record.statuses).filter((value) => !offered.has(value));
    if (missing.length > 0) {
      problems.push(
        lintProblem(processId, 'status-value-unknown', {
          en: `the status field '${record.statusField}' has no option ${missing.map((v) => `'${v}'`).join(', ')}`,
          'zh-CN': `状态字段 '${record.statusField}' 没有选项 ${missing.map((v) => `'${v}'`).join('、')}`,
        }),
      );
    }
  }
  return problems;
}
