import type { FieldDefinition } from '@crm/engine/browser';
import { useLocalize } from '@crm/ui';
import { DatePicker, Input, InputNumber, Select, Space, Switch } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { type Family, LIST_VALUE, NO_VALUE, optionsOf } from './fields.ts';
import { LIST } from './messages.ts';

const day = (value: unknown) => (typeof value === 'string' && value ? dayjs(value) : null);

/** The value of a filter condition: an input fitting the field's family and the operator. */
export function ConditionValue({
  field,
  family,
  op,
  value,
  onChange,
}: {
  field: FieldDefinition;
  family: Family;
  op: string;
  value: unknown;
  onChange(value: unknown): void;
}) {
  const { t } = useTranslation(LIST);
  const localize = useLocalize();
  if (NO_VALUE.has(op)) return null;
  const options = optionsOf(field).map((o) => ({ value: o.value, label: localize(o.label, o.value) }));
  const label = t('value');
  if (op === 'between') {
    const [from, to] = Array.isArray(value) ? value : [undefined, undefined];
    const one = (v: unknown, set: (v: unknown) => void) =>
      family === 'date' ? (
        <DatePicker value={day(v)} onChange={(d) => set(d ? d.format('YYYY-MM-DD') : undefined)} />
      ) : (
        <InputNumber value={v as number | undefined} onChange={(n) => set(n ?? undefined)} />
      );
    return (
      <Space.Compact>
        {one(from, (v) => onChange([v, to]))}
        {one(to, (v) => onChange([from, v]))}
      </Space.Compact>
    );
  }
  if (LIST_VALUE.has(op)) {
    return (
      <Select
        mode={options.length > 0 ? 'multiple' : 'tags'}
        aria-label={label}
        style={{ minWidth: 180 }}
        options={options}
        value={Array.isArray(value) ? value : []}
        onChange={onChange}
      />
    );
  }
  switch (family) {
    case 'choice':
      return (
        <Select
          aria-label={label}
          style={{ minWidth: 160 }}
          options={options}
          value={value}
          onChange={onChange}
        />
      );
    case 'boolean':
      return (
        <Select
          aria-label={label}
          style={{ minWidth: 100 }}
          options={[
            { value: true, label: t('yes') },
            { value: false, label: t('no') },
          ]}
          value={value}
          onChange={onChange}
        />
      );
    case 'number':
      return (
        <InputNumber
          aria-label={label}
          value={value as number | undefined}
          onChange={(n) => onChange(n ?? undefined)}
        />
      );
    case 'date':
      return (
        <DatePicker value={day(value)} onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : undefined)} />
      );
    default:
      return (
        <Input
          aria-label={label}
          style={{ width: 180 }}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
}

/** A value to set on records (bulk edit): an input for the field's type, giving the API's value shape. */
export function FieldValueInput({
  field,
  value,
  onChange,
}: {
  field: FieldDefinition;
  value: unknown;
  onChange(value: unknown): void;
}) {
  const localize = useLocalize();
  const options = optionsOf(field).map((o) => ({ value: o.value, label: localize(o.label, o.value) }));
  switch (field.type) {
    case 'select':
      return (
        <Select
          allowClear
          options={options}
          value={value}
          onChange={(v) => onChange(v ?? null)}
          style={{ width: '100%' }}
        />
      );
    case 'multiSelect':
      return (
        <Select
          mode="multiple"
          options={options}
          value={value ?? []}
          onChange={onChange}
          style={{ width: '100%' }}
        />
      );
    case 'boolean':
      return <Switch checked={value === true} onChange={onChange} />;
    case 'integer':
    case 'decimal':
    case 'percent':
      return (
        <InputNumber
          value={value as number | undefined}
          onChange={(n) => onChange(n ?? null)}
          style={{ width: '100%' }}
        />
      );
    case 'money': {
      const money = (value ?? {}) as { amount?: number; currency?: string };
      const currency = money.currency ?? (typeof field.currency === 'string' ? field.currency : 'CNY');
      return (
        <InputNumber
          addonAfter={currency}
          value={money.amount}
          onChange={(n) => onChange(n === null ? null : { amount: n, currency })}
          style={{ width: '100%' }}
        />
      );
    }
    case 'date':
      return <DatePicker value={day(value)} onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : null)} />;
    case 'datetime':
      return (
        <DatePicker showTime value={day(value)} onChange={(d) => onChange(d ? d.toISOString() : null)} />
      );
    default:
      return (
        <Input
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.target.value || null)}
        />
      );
  }
}
