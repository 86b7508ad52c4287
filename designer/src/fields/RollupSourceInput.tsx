import { useLocalize } from '@crm/ui';
import { Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldDefinition, ModuleDefinition } from '../api.ts';
import { DESIGNER } from '../messages.ts';
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
