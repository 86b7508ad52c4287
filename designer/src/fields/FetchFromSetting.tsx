import { useLocalize } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';
import { Form, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { designerApi, type FieldDefinition, type ModuleDefinition } from '../api.ts';
import { DESIGNER } from '../messages.ts';

/** Computed types: the server refuses to fetch into them (and they are not offered as targets either). */
const NOT_ENTERED = new Set(['formula', 'rollup', 'autonumber', 'changedAt', 'subtable']);

interface FetchFromSettingProps {
  field: FieldDefinition;
  /** The module (or, for a row field, the row's fields as a module): where the relation is looked for. */
  definition: ModuleDefinition;
  onChange(value: string | undefined): void;
}

/**
 * `fetchFrom`: pick a relation of the module (or row), then a field of its target module; the
 * field then takes that record's value when the relation is picked. The publish checks the types.
 */
export function FetchFromSetting({ field, definition, onChange }: FetchFromSettingProps) {
  const { t } = useTranslation(DESIGNER);
  const localize = useLocalize();
  const [relationName, sourceName] =
    typeof field.fetchFrom === 'string' ? field.fetchFrom.split('.') : [undefined, undefined];
  const relations = definition.fields.filter((f) => f.type === 'relation' && f.name !== field.name);
  const relation = relations.find((f) => f.name === relationName);
  const targetId = typeof relation?.target === 'string' ? relation.target : undefined;
  const target = useQuery({
    queryKey: ['designer', 'module', targetId],
    queryFn: () => designerApi.module(targetId ?? ''),
    enabled: targetId !== undefined,
  });
  const targetDefinition = target.data?.published ?? target.data?.draft;
  const sources = (targetDefinition?.fields ?? []).filter((f) => f.type !== 'subtable');
  if (NOT_ENTERED.has(field.type)) return null;
  return (
    <Form.Item label={t('fields.fetchFrom')} extra={t('fields.fetchFromHelp')}>
      <Space.Compact block>
        <Select
          allowClear
          style={{ width: '50%' }}
          placeholder={t('fields.fetchRelation')}
          value={relationName}
          data-testid="fetch-relation"
          options={relations.map((f) => ({
            value: f.name,
            label: `${localize(f.label, f.name)} (${f.name})`,
          }))}
          onChange={(value: string | undefined) =>
            onChange(value ? `${value}.${sourceName ?? ''}` : undefined)
          }
        />
        <Select
          style={{ width: '50%' }}
          placeholder={t('fields.fetchSource')}
          disabled={!relation}
          loading={target.isFetching}
          value={sourceName || undefined}
          data-testid="fetch-source"
          showSearch={{ optionFilterProp: 'label' }}
          options={sources.map((f) => ({ value: f.name, label: `${localize(f.label, f.name)} (${f.name})` }))}
          onChange={(value: string) => onChange(`${relationName ?? ''}.${value}`)}
        />
      </Space.Compact>
    </Form.Item>
  );
}
