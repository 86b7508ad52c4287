import type { WidgetProps } from '@rjsf/utils';
import { Select, Tag } from 'antd';

interface Option {
  value: string;
  label: string;
  color: string | null;
}

/** The options of a select or multi select: its enum, labelled by `ui:enumNames`, coloured by `ui:options.colors`. */
export function optionsOf(props: WidgetProps): Option[] {
  const schema = props.schema as { enum?: unknown[]; items?: { enum?: unknown[] } };
  const values = (schema.enum ?? schema.items?.enum ?? []).map(String);
  const names = (props.uiSchema?.['ui:enumNames'] ?? []) as string[];
  const colors = ((props.options as { colors?: Record<string, string | null> }).colors ?? {}) as Record<
    string,
    string | null
  >;
  return values.map((value, i) => ({ value, label: names[i] ?? value, color: colors[value] ?? null }));
}

function optionLabel(option: Option) {
  return option.color ? <Tag color={option.color}>{option.label}</Tag> : option.label;
}

function selectProps(props: WidgetProps) {
  return {
    id: props.id,
    allowClear: true,
    showSearch: { optionFilterProp: 'title' },
    disabled: props.disabled || props.readonly,
    placeholder: props.placeholder,
    status: props.rawErrors && props.rawErrors.length > 0 ? ('error' as const) : undefined,
    onBlur: () => props.onBlur(props.id, props.value),
    style: { width: '100%' },
    options: optionsOf(props).map((o) => ({ value: o.value, title: o.label, label: optionLabel(o) })),
  };
}

/** A single select: one option, searchable by its label. */
export function SelectWidget(props: WidgetProps) {
  return (
    <Select
      {...selectProps(props)}
      value={props.value ?? undefined}
      onChange={(value: string | undefined) => props.onChange(value ?? undefined)}
    />
  );
}

/** A multiple select: options as tags, in the order chosen. */
export function TagsWidget(props: WidgetProps) {
  return (
    <Select
      {...selectProps(props)}
      mode="multiple"
      value={(props.value as string[] | undefined) ?? []}
      onChange={(value: string[]) => props.onChange(value.length > 0 ? value : undefined)}
    />
  );
}
