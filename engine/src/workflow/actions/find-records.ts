import { EngineError } from '../../errors.ts';
import { MAX_PAGE, type RecordService } from '../../records/service.ts';
import { type StoredRecord, SYSTEM_ACTOR } from '../../records/types.ts';
import type { ActionContext, WorkflowAction } from '../actions.ts';

/** The most records one find returns: a flow iterates over them (a multi-instance), so keep it bounded. */
export const FIND_LIMIT = 10_000;

function limitOf(context: ActionContext): number {
  const raw = context.input.limit ?? context.headers.limit;
  if (raw === undefined || raw === null || raw === '') return 1000;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > FIND_LIMIT) {
    throw new EngineError(
      'invalid-input',
      `the action's limit must be a whole number from 1 to ${FIND_LIMIT}`,
    );
  }
  return limit;
}

/**
 * find-records: the records of a module matching a filter (the records API's filter language), as
 * the system, into a list variable, e.g. for a multi-instance over the results.
 */
export function findRecordsAction(records: RecordService): WorkflowAction {
  return {
    type: 'find-records',
    describe: {
      label: { en: 'Find records', 'zh-CN': '查找记录' },
      description: {
        en: 'The records of a module matching a filter, as a list (e.g. for a multi-instance over them)',
        'zh-CN': '按筛选条件查找某模块的记录，结果为列表（可供多实例逐条处理）',
      },
      inputs: [
        { name: 'module', type: 'text', required: true, label: { en: 'Module', 'zh-CN': '模块' } },
        {
          name: 'filter',
          type: 'object',
          label: { en: 'Filter (as in the records API)', 'zh-CN': '筛选条件（同记录接口）' },
        },
        {
          name: 'sort',
          type: 'text',
          label: { en: 'Sort (e.g. -updated_at)', 'zh-CN': '排序（如 -updated_at）' },
        },
        {
          name: 'limit',
          type: 'number',
          label: { en: 'At most (default 1000)', 'zh-CN': '最多条数（默认 1000）' },
        },
        {
          name: 'resultVariable',
          type: 'text',
          header: true,
          label: { en: 'Result variable (default: records)', 'zh-CN': '结果变量（默认 records）' },
        },
      ],
      outputs: [{ name: 'records', type: 'list', label: { en: 'The records found', 'zh-CN': '找到的记录' } }],
    },
    async run(context) {
      const module = context.input.module ?? context.headers.module ?? context.variables.module;
      if (typeof module !== 'string' || module === '') {
        throw new EngineError('invalid-input', "the action needs the input 'module' (text)");
      }
      const filter = context.input.filter ?? undefined;
      const sort = context.input.sort ?? context.headers.sort;
      const limit = limitOf(context);
      const found: StoredRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await records.list(module, SYSTEM_ACTOR, {
          filter: filter === null ? undefined : filter,
          sort: typeof sort === 'string' && sort !== '' ? sort : undefined,
          limit: Math.min(MAX_PAGE, limit - found.length),
          cursor,
        });
        found.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && found.length < limit);
      return { [context.headers.resultVariable || 'records']: found };
    },
  };
}
