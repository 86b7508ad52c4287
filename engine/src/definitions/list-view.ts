import { pointerOf } from '../errors.ts';
import type { FieldTypeRegistry } from '../fields/registry.ts';
import type { FieldDefinition, ListViewDefinition, ModuleDefinition } from './types.ts';

/** Types a list cannot show in a column: rows of their own, or too long for a cell. */
const NOT_A_COLUMN = new Set(['subtable', 'longText']);
/** System fields a list may sort by. */
const SORTABLE_SYSTEM_FIELDS = new Set<string>(['id', 'created_at', 'updated_at']);
/** Columns a list shows when the definition names none. */
const DEFAULT_COLUMNS = 6;

/** The list view of a module, every part filled: the definition's own settings, else defaults. */
export function listViewOf(definition: ModuleDefinition): Required<
  Omit<ListViewDefinition, 'kanbanField'>
> & {
  kanbanField: string | undefined;
} {
  const columns =
    definition.listView?.columns ??
    (() => {
      const shown = definition.fields.filter((f) => !NOT_A_COLUMN.has(f.type));
      const title = shown.find((f) => f.name === definition.titleField);
      return [...(title ? [title] : []), ...shown.filter((f) => f !== title)]
        .slice(0, DEFAULT_COLUMNS)
        .map((f) => f.name);
    })();
  return {
    columns,
    sort: definition.listView?.sort ?? '-created_at',
    kanbanField: definition.listView?.kanbanField ?? definition.fields.find((f) => f.type === 'select')?.name,
  };
}

/** The fields a list of the module reads for `columns`: those, the title field and the kanban field. */
export function listViewFields(
  definition: ModuleDefinition,
  columns: string[] = listViewOf(definition).columns,
): string[] {
  const kanban = listViewOf(definition).kanbanField;
  const known = (name: string | undefined): name is string =>
    name !== undefined && definition.fields.some((f) => f.name === name);
  return [...new Set([...columns, definition.titleField, kanban].filter(known))];
}

interface ListViewProblem {
  pointer: string;
  message: string;
  messages: { en: string; 'zh-CN': string };
}

const problem = (pointer: string, en: string, zh: string): ListViewProblem => ({
  pointer,
  message: en,
  messages: { en, 'zh-CN': zh },
});

/** What is wrong with a definition's `listView`: unknown fields, columns that cannot show, sorts that cannot be. */
export function checkListView(definition: ModuleDefinition, registry: FieldTypeRegistry): ListViewProblem[] {
  const view = definition.listView;
  if (!view) return [];
  const problems: ListViewProblem[] = [];
  const byName = new Map<string, FieldDefinition>(definition.fields.map((f) => [f.name, f]));
  const seen = new Set<string>();
  view.columns?.forEach((name, i) => {
    const at = pointerOf('listView', 'columns', i);
    const field = byName.get(name);
    if (!field) problems.push(problem(at, `no field named '${name}'`, `没有名为“${name}”的字段`));
    else if (NOT_A_COLUMN.has(field.type))
      problems.push(
        problem(at, `a ${field.type} field cannot be a list column`, `${field.type} 字段不能作为列表列`),
      );
    else if (seen.has(name))
      problems.push(problem(at, `column '${name}' is listed twice`, `列“${name}”重复了`));
    seen.add(name);
  });
  if (view.sort !== undefined) {
    view.sort.split(',').forEach((part, i) => {
      const name = part.trim().replace(/^-/, '');
      const field = byName.get(name);
      if (SORTABLE_SYSTEM_FIELDS.has(name)) return;
      if (!field) {
        problems.push(
          problem(
            '/listView/sort',
            `sort key ${i + 1}: no field named '${name}'`,
            `第 ${i + 1} 个排序键：没有名为“${name}”的字段`,
          ),
        );
      } else if (registry.get(field.type)?.sortable !== true) {
        problems.push(
          problem(
            '/listView/sort',
            `sort key ${i + 1}: a ${field?.type} field cannot be sorted`,
            `第 ${i + 1} 个排序键：${field?.type} 字段不能排序`,
          ),
        );
      }
    });
  }
  if (view.kanbanField !== undefined) {
    const field = byName.get(view.kanbanField);
    if (!field)
      problems.push(
        problem(
          '/listView/kanbanField',
          `no field named '${view.kanbanField}'`,
          `没有名为“${view.kanbanField}”的字段`,
        ),
      );
    else if (field.type !== 'select')
      problems.push(
        problem(
          '/listView/kanbanField',
          `the board is grouped by a single-select field, not a ${field.type} field`,
          `看板按单选字段分组，不能用 ${field.type} 字段`,
        ),
      );
  }
  return problems;
}
