import { DeleteOutlined, FilterOutlined, PlusOutlined } from '@ant-design/icons';
import type { ModuleDefinition } from '@crm/engine/browser';
import { useLocalize } from '@crm/ui';
import { Badge, Button, Popover, Select, Space, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { familyOf, fieldByName, OPERATORS_BY_FAMILY, useFieldTypes } from './fields.ts';
import type { Condition } from './filter.ts';
import { LIST } from './messages.ts';

// the value inputs (date pickers, number inputs) load when the filter is first opened, not with the list
const ConditionValue = lazy(() => import('./ValueInput.tsx').then((m) => ({ default: m.ConditionValue })));

/** Conditions on the module's fields (all must hold), with the operators each field's type offers. */
export function FilterBuilder({
  definition,
  conditions,
  onApply,
}: {
  definition: ModuleDefinition;
  conditions: Condition[];
  onApply(conditions: Condition[]): void;
}) {
  const { t } = useTranslation(LIST);
  const { t: ui } = useTranslation();
  const localize = useLocalize();
  const types = useFieldTypes();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Condition[]>(conditions);
  useEffect(() => setDraft(conditions), [conditions]);

  const filterable = definition.fields.filter((f) => {
    const family = familyOf(f, types.data);
    return family !== undefined && family !== 'links';
  });
  const change = (i: number, next: Partial<Condition>) =>
    setDraft((list) => list.map((c, j) => (j === i ? { ...c, ...next } : c)));

  const rows = draft.map((condition, i) => {
    const field = fieldByName(definition, condition.field);
    const family = field ? familyOf(field, types.data) : undefined;
    return (
      // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity of their own
      <Space key={i} wrap data-testid="filter-condition">
        {i > 0 && <Typography.Text type="secondary">{t('and')}</Typography.Text>}
        <Select
          aria-label={t('field')}
          style={{ width: 160 }}
          showSearch={{ optionFilterProp: 'label' }}
          value={condition.field || undefined}
          placeholder={t('field')}
          options={filterable.map((f) => ({ value: f.name, label: localize(f.label, f.name) }))}
          onChange={(name: string) => {
            const next = fieldByName(definition, name);
            const ops = next ? OPERATORS_BY_FAMILY[familyOf(next, types.data) ?? 'text'] : [];
            change(i, { field: name, op: ops[0], value: undefined });
          }}
        />
        <Select
          aria-label={t('operator')}
          style={{ width: 140 }}
          value={condition.op || undefined}
          placeholder={t('operator')}
          options={(family ? OPERATORS_BY_FAMILY[family] : []).map((op) => ({
            value: op,
            label: t(`op.${op}`),
          }))}
          onChange={(op: string) => change(i, { op, value: undefined })}
        />
        {field && family && (
          <Suspense fallback={null}>
            <ConditionValue
              field={field}
              family={family}
              op={condition.op}
              value={condition.value}
              onChange={(value) => change(i, { value })}
            />
          </Suspense>
        )}
        <Button
          type="text"
          icon={<DeleteOutlined />}
          aria-label={ui('action.delete')}
          onClick={() => setDraft((list) => list.filter((_, j) => j !== i))}
        />
      </Space>
    );
  });

  const content = (
    <Space orientation="vertical" style={{ maxWidth: 'calc(100vw - 48px)' }}>
      {rows}
      <Button icon={<PlusOutlined />} onClick={() => setDraft((list) => [...list, { field: '', op: '' }])}>
        {t('addCondition')}
      </Button>
      <Space>
        <Button
          type="primary"
          data-testid="filter-apply"
          onClick={() => {
            onApply(draft.filter((c) => c.field && c.op));
            setOpen(false);
          }}
        >
          {ui('action.apply')}
        </Button>
        <Button
          onClick={() => {
            setDraft([]);
            onApply([]);
            setOpen(false);
          }}
        >
          {ui('action.reset')}
        </Button>
      </Space>
    </Space>
  );

  return (
    <Popover trigger="click" open={open} onOpenChange={setOpen} content={content} placement="bottomLeft">
      <Badge count={conditions.length} size="small">
        <Button icon={<FilterOutlined />} data-testid="filter-button">
          {t('filter')}
        </Button>
      </Badge>
    </Popover>
  );
}
