import type { FieldTypeRegistry } from '../fields/registry.ts';
import type { ConversionReport } from '../storage/conversion-report.ts';
import type { MigrationStep, StepKind } from '../storage/plan.ts';
import type { FieldDefinition, LocaleText, ModuleDefinition } from './types.ts';

/** One change of a publish, in the words an administrator reads before confirming it. */
export interface PlanSentence {
  module: string;
  kind:
    | 'createModule'
    | 'renameModule'
    | 'addField'
    | 'renameField'
    | 'archiveField'
    | 'changeType'
    | 'convertField'
    | 'numberRecords'
    | 'makeUnique'
    | 'index'
    | 'link'
    | 'links'
    | 'search';
  /** The field's name as the plan names it (`lines.quantity` for a sub-table row field). */
  field?: string;
  text: LocaleText;
  /** Values would be lost or kept with less precision: the admin must confirm. */
  warning?: boolean;
  /** The change rewrites the whole table: it takes time on a large one. */
  rewritesTable?: boolean;
}

/** A published definition (if any) and the draft about to replace it. */
export interface PlannedModule {
  before?: ModuleDefinition;
  after: ModuleDefinition;
}

type StepLike = Pick<MigrationStep, 'kind' | 'module' | 'field' | 'description' | 'rewritesTable'> & {
  conversion?: ConversionReport;
};

const SEARCH_KINDS: ReadonlySet<StepKind> = new Set([
  'pauseSearch',
  'addSearch',
  'changeSearch',
  'dropSearch',
  'backfillSearch',
]);

/** How many values that would not convert a sentence quotes. */
const QUOTED_SAMPLES = 3;

/**
 * The migration plan of a publish told step by step with the fields' labels and type names, in en and
 * zh-CN: added, renamed and archived fields, type changes with the values that would not convert.
 * Steps that only serve others (dropping a constraint before a conversion) are left out; the keyword
 * search upkeep is one sentence per module.
 */
export function planInWords(
  steps: StepLike[],
  modules: PlannedModule[],
  registry: FieldTypeRegistry,
): PlanSentence[] {
  const sentences: PlanSentence[] = [];
  const seen = new Set<string>();
  const byName = new Map(modules.map((m) => [m.after.name, m]));
  const typeLabel = (type: string): LocaleText => registry.get(type)?.label ?? { en: type, 'zh-CN': type };

  for (const step of steps) {
    const planned = byName.get(step.module);
    if (!planned) continue;
    const module = step.module;
    const kind = sentenceKind(step.kind);
    if (!kind) continue;
    // one sentence per field and kind, however many columns the field has; one for search per module
    const key = `${module}\u0000${kind}\u0000${kind === 'search' ? '' : (step.field ?? '')}`;
    if (seen.has(key)) {
      if (kind === 'search' && step.rewritesTable) markRewrite(sentences, key, seen);
      continue;
    }
    seen.add(key);
    const after = step.field ? fieldByPath(planned.after.fields, step.field) : undefined;
    // a kept field is matched by its stable id (it may have been renamed), a removed one by its name
    const oldFields = planned.before?.fields ?? [];
    const before = after
      ? fieldById(oldFields, after.id)
      : step.field
        ? fieldByPath(oldFields, step.field)
        : undefined;
    const field = after ?? before;
    const en = field ? quoteField(field, 'en') : '';
    const zh = field ? quoteField(field, 'zh-CN') : '';
    const push = (text: LocaleText, extra: Partial<PlanSentence> = {}) =>
      sentences.push({
        module,
        kind,
        ...(step.field ? { field: step.field } : {}),
        text,
        ...(step.rewritesTable ? { rewritesTable: true } : {}),
        ...extra,
      });
    switch (step.kind) {
      case 'createTable': {
        const count = planned.after.fields.length;
        push({
          en: `Create module ${quoteModule(planned.after, 'en')} with ${count} field${count === 1 ? '' : 's'}`,
          'zh-CN': `创建模块 ${quoteModule(planned.after, 'zh-CN')}，含 ${count} 个字段`,
        });
        break;
      }
      case 'renameTable':
        push({
          en: `Rename module ${planned.before?.name ?? ''} → ${planned.after.name}`,
          'zh-CN': `模块 ${planned.before?.name ?? ''} 重命名为 ${planned.after.name}`,
        });
        break;
      case 'addColumn':
        // a kept field gains a column when its type changes: the conversion's sentence tells that
        if (before && after) break;
        push({
          en: `Add column ${en} (${typeLabel(field?.type ?? '').en})`,
          'zh-CN': `新增字段 ${zh}（${typeLabel(field?.type ?? '')['zh-CN']}）`,
        });
        break;
      case 'renameColumn': {
        const from = before ? before.name : '';
        const to = after ? after.name : '';
        const labelsEn = before && after ? arrow(labelOf(before, 'en'), labelOf(after, 'en')) : '';
        const labelsZh = before && after ? arrow(labelOf(before, 'zh-CN'), labelOf(after, 'zh-CN')) : '';
        push({
          en: `Rename ${labelsEn} (column ${from} → ${to}); the values stay`,
          'zh-CN': `重命名 ${labelsZh}（列 ${from} → ${to}），数据保持不变`,
        });
        break;
      }
      case 'archiveColumn':
        push(
          after
            ? {
                en: `Archive the old values of ${en}: kept until purged`,
                'zh-CN': `归档 ${zh} 的旧值：保留直到清除`,
              }
            : {
                en: `Archive column ${en}: the field leaves the forms, its values are kept until purged`,
                'zh-CN': `归档字段 ${zh}：字段从表单中移除，数据保留直到清除`,
              },
        );
        break;
      case 'alterColumnType':
        push({
          en: `Change ${en} ${typeChange(before, after, 'en', typeLabel)}: no value is lost`,
          'zh-CN': `${zh} 类型变更 ${typeChange(before, after, 'zh-CN', typeLabel)}：不会丢失数据`,
        });
        break;
      case 'convertColumn':
        push(
          ...convertSentence(step.conversion, en, zh, typeChange(before, after, 'en', typeLabel), typeLabel),
        );
        break;
      case 'backfill':
        push({
          en: `Number the existing records in ${en}, in the order they were created`,
          'zh-CN': `按创建顺序为现有记录编号（${zh}）`,
        });
        break;
      case 'addUnique':
        push({
          en: `Make ${en} unique: no two records may share a value`,
          'zh-CN': `${zh} 设为唯一：任意两条记录的值不能相同`,
        });
        break;
      case 'addIndex':
        push({
          en: `Index ${en} for faster lists and filters`,
          'zh-CN': `为 ${zh} 建立索引，加快列表和筛选`,
        });
        break;
      case 'addForeignKey':
        push({
          en: `Link ${en} to the records it points at`,
          'zh-CN': `${zh} 关联到其指向的记录`,
        });
        break;
      default:
        // link tables and keyword search: the planner's own words are already plain
        push(
          kind === 'search'
            ? {
                en: 'Update the keyword search index',
                'zh-CN': '更新关键词搜索索引',
              }
            : step.description,
        );
    }
  }
  // the search upkeep is told after the changes it follows (its pause step comes first in the plan)
  return [...sentences.filter((s) => s.kind !== 'search'), ...sentences.filter((s) => s.kind === 'search')];
}

function sentenceKind(kind: StepKind): PlanSentence['kind'] | undefined {
  if (SEARCH_KINDS.has(kind)) return 'search';
  const kinds: Partial<Record<StepKind, PlanSentence['kind']>> = {
    createTable: 'createModule',
    renameTable: 'renameModule',
    addColumn: 'addField',
    renameColumn: 'renameField',
    archiveColumn: 'archiveField',
    alterColumnType: 'changeType',
    convertColumn: 'convertField',
    backfill: 'numberRecords',
    addUnique: 'makeUnique',
    addIndex: 'index',
    addForeignKey: 'link',
    createLinkTable: 'links',
    archiveLinkTable: 'links',
  };
  return kinds[kind];
}

function markRewrite(sentences: PlanSentence[], key: string, seen: Set<string>) {
  const module = key.split('\u0000')[0];
  const sentence = sentences.find((s) => s.kind === 'search' && s.module === module);
  if (sentence) sentence.rewritesTable = true;
  seen.add(key);
}

function convertSentence(
  report: ConversionReport | undefined,
  en: string,
  zh: string,
  types: string,
  typeLabel: (type: string) => LocaleText,
): [LocaleText, Partial<PlanSentence>] {
  if (!report) {
    return [
      {
        en: `Convert ${en} ${types} into a new column; the old values are kept`,
        'zh-CN': `转换 ${zh} ${types} 到新列；原值保留`,
      },
      {},
    ];
  }
  const from = typeLabel(report.from);
  const to = typeLabel(report.to);
  const headEn = `Convert ${en} ${from.en} → ${to.en}`;
  const headZh = `转换 ${zh}：${from['zh-CN']} → ${to['zh-CN']}`;
  const failed = report.samples.filter((s) => s.problem === 'unconvertible').map((s) => s.value);
  const lossy = report.samples.filter((s) => s.problem === 'lossy');
  const partsEn: string[] = [];
  const partsZh: string[] = [];
  if (report.unconvertible > 0) {
    const quoted = failed.slice(0, QUOTED_SAMPLES).map(quoteValue).join(', ');
    const plural = report.unconvertible === 1 ? 'value' : 'values';
    partsEn.push(
      `${report.unconvertible} ${plural} would not convert and would become empty${quoted ? `, e.g. ${quoted}` : ''}`,
    );
    partsZh.push(`${report.unconvertible} 个值无法转换，将变为空值${quoted ? `，例如 ${quoted}` : ''}`);
  }
  if (report.lossy > 0) {
    const example = lossy[0];
    const shown = example ? ` (${quoteValue(example.value)} → ${quoteValue(example.converted)})` : '';
    partsEn.push(`${report.lossy} ${report.lossy === 1 ? 'value' : 'values'} would lose precision${shown}`);
    partsZh.push(`${report.lossy} 个值将丢失精度${shown}`);
  }
  if (report.inRecycleBin > 0) {
    partsEn.push(`${report.inRecycleBin} values of records in the recycle bin too`);
    partsZh.push(`另有回收站中记录的 ${report.inRecycleBin} 个值`);
  }
  if (partsEn.length === 0) {
    return [
      {
        en: `${headEn}: all ${report.values} values convert`,
        'zh-CN': `${headZh}：全部 ${report.values} 个值都能转换`,
      },
      {},
    ];
  }
  return [
    {
      en: `${headEn}: ${partsEn.join('; ')}. The old values are kept until purged`,
      'zh-CN': `${headZh}：${partsZh.join('；')}。原值保留直到清除`,
    },
    { warning: true },
  ];
}

/** A field of `fields` by the plan's name for it: `name`, or `subtable.name` for a row field. */
function fieldByPath(fields: FieldDefinition[], path: string): FieldDefinition | undefined {
  const dot = path.indexOf('.');
  if (dot < 0) return fields.find((f) => f.name === path);
  const table = fields.find((f) => f.name === path.slice(0, dot));
  const rows = Array.isArray(table?.fields) ? (table.fields as FieldDefinition[]) : [];
  return fieldByPath(rows, path.slice(dot + 1));
}

function fieldById(fields: FieldDefinition[], id: string): FieldDefinition | undefined {
  for (const field of fields) {
    if (field.id === id) return field;
    const inRows = Array.isArray(field.fields) ? fieldById(field.fields as FieldDefinition[], id) : undefined;
    if (inRows) return inRows;
  }
  return undefined;
}

function labelOf(field: FieldDefinition, locale: 'en' | 'zh-CN'): string {
  return field.label?.[locale] ?? field.label?.en ?? field.name;
}

function quoteField(field: FieldDefinition, locale: 'en' | 'zh-CN'): string {
  const label = labelOf(field, locale);
  return label === field.name ? label : `${label} (${field.name})`;
}

function quoteModule(module: ModuleDefinition, locale: 'en' | 'zh-CN'): string {
  const label = module.label?.[locale] ?? module.label?.en ?? module.name;
  return label === module.name ? label : `${label} (${module.name})`;
}

function arrow(from: string, to: string): string {
  return from === to ? from : `${from} → ${to}`;
}

function typeChange(
  before: FieldDefinition | undefined,
  after: FieldDefinition | undefined,
  locale: 'en' | 'zh-CN',
  typeLabel: (type: string) => LocaleText,
): string {
  if (!before || !after) return '';
  if (before.type === after.type) return `(${typeLabel(after.type)[locale]})`;
  return `${typeLabel(before.type)[locale]} → ${typeLabel(after.type)[locale]}`;
}

function quoteValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return JSON.stringify(value);
}
