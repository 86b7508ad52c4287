import { useLocalize } from '@crm/ui';
import { Select, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FeelCompletion, FieldDefinition, ModuleDefinition } from '../api.ts';
import { DESIGNER } from '../messages.ts';
import { FeelEditor } from '../rules/FeelEditor.tsx';
import { useCompletions } from '../rules/useCompletions.ts';
import { aggregatable, useRollupSources } from './rollup-sources.ts';

/**
 * A rollup's `over` (the related lists and sub-tables of the module) or its aggregated `field` (the
 * fields of the chosen source an aggregate can take).
 */
export function RollupSourceInput({
  name,
  field,
  definition,
  onChange,
}: {
  name: 'over' | 'field';
  field: FieldDefinition;
  definition: ModuleDefinition;
  onChange(value: unknown): void;
}) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const sources = useRollupSources(definition);
  const value = typeof field[name] === 'string' ? (field[name] as string) : undefined;
  if (name === 'over') {
    return (
      <Select
        allowClear
        value={value}
        onChange={onChange}
        data-testid="setting-over"
        notFoundContent={t('rollup.noSources')}
        options={sources.map((s) => ({
          value: s.name,
          label: (
            <>
              {localize(s.label, s.name)} <code>{s.name}</code>{' '}
              <Tag>{t(s.kind === 'rows' ? 'rollup.rows' : 'rollup.records')}</Tag>
            </>
          ),
        }))}
      />
    );
  }
  const source = sources.find((s) => s.name === field.over);
  return (
    <Select
      allowClear
      value={value}
      onChange={onChange}
      disabled={field.aggregate === 'count'}
      data-testid="setting-field"
      notFoundContent={t(source ? 'rollup.noFields' : 'rollup.pickOver')}
      options={(source?.fields ?? [])
        .filter((f) => aggregatable(field.aggregate, f))
        .map((f) => ({ value: f.name, label: `${localize(f.label, f.name)} (${f.name})` }))}
    />
  );
}

/**
 * A rollup's filter in the FEEL editor: it reads one source row, so the completion offers the
 * source's fields (and `parent`, the row's record, over sub-table rows) and the server checks it so.
 */
export function RollupFilterInput({
  field,
  definition,
  onChange,
}: {
  field: FieldDefinition;
  definition: ModuleDefinition;
  onChange(value: unknown): void;
}) {
  const { t } = useTranslation(DESIGNER);
  const sources = useRollupSources(definition);
  const functions = useCompletions(definition).filter((c) => c.kind === 'function');
  const source = sources.find((s) => s.name === field.over);
  const completions: FeelCompletion[] = [
    ...(source?.fields ?? []).map(
      (f): FeelCompletion => ({ name: f.name, kind: 'field', fieldType: f.type, label: f.label }),
    ),
    ...(source?.kind === 'rows' ? [{ name: 'parent', kind: 'system' as const, label: PARENT_LABEL }] : []),
    ...functions,
  ];
  return (
    <>
      <FeelEditor
        value={typeof field.filter === 'string' ? field.filter : ''}
        onChange={onChange}
        target={{ definition, field: field.name }}
        completions={completions}
        testId="setting-filter"
        minLines={2}
      />
      <Typography.Text type="secondary">
        {t(source?.kind === 'rows' ? 'rollup.filterRowsHelp' : 'rollup.filterHelp')}
      </Typography.Text>
    </>
  );
}

const PARENT_LABEL = { en: 'The record of the row', 'zh-CN': '该行所属的记录' };
