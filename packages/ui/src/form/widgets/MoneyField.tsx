import type { FieldProps } from '@rjsf/utils';
import { InputNumber, Select, Space } from 'antd';

interface MoneySchema {
  properties?: {
    amount?: { minimum?: number; maximum?: number; multipleOf?: number };
    currency?: { enum?: string[]; default?: string };
  };
}

/** An amount with its currency: the currency can be chosen when the field allows several. */
export function MoneyField(props: FieldProps) {
  const schema = props.schema as MoneySchema;
  const currencies = schema.properties?.currency?.enum ?? [];
  const fallback = schema.properties?.currency?.default ?? currencies[0] ?? 'CNY';
  const value = props.formData as { amount: number; currency?: string } | undefined;
  const currency = value?.currency ?? fallback;
  const amount = schema.properties?.amount ?? {};
  const step = amount.multipleOf;
  const precision = step ? Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) : undefined;
  const errors = props.errorSchema?.__errors ?? [];
  const disabled = props.disabled || props.readonly;
  const change = (next: { amount: number; currency: string } | undefined) =>
    props.onChange(next, props.fieldPathId.path);
  return (
    <Space.Compact style={{ width: '100%' }}>
      <InputNumber
        id={props.fieldPathId.$id}
        style={{ width: '100%' }}
        value={value?.amount ?? null}
        min={amount.minimum}
        max={amount.maximum}
        precision={precision}
        disabled={disabled}
        status={errors.length > 0 ? 'error' : undefined}
        placeholder={props.uiSchema?.['ui:placeholder'] as string | undefined}
        onChange={(next) =>
          change(next === null || next === undefined ? undefined : { amount: Number(next), currency })
        }
      />
      <Select
        aria-label="currency"
        style={{ width: 96 }}
        value={currency}
        disabled={disabled || currencies.length <= 1}
        options={currencies.map((c) => ({ value: c, label: c }))}
        onChange={(next: string) => change(value ? { ...value, currency: next } : undefined)}
      />
    </Space.Compact>
  );
}
