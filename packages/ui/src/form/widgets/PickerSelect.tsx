import { Select, Spin } from 'antd';
import type { Choice } from '../services.ts';
import { useChoices } from './choices.ts';

export interface PickerSelectProps {
  id?: string;
  value: string | string[] | undefined;
  multiple?: boolean;
  disabled?: boolean;
  placeholder?: string;
  notFound: string;
  status?: 'error';
  resolve: (ids: readonly string[]) => Promise<Choice[]>;
  search: (query: string) => Promise<Choice[]>;
  onChange: (value: string | string[] | undefined) => void;
  onBlur?: () => void;
}

/** A searching select over server-side choices: records, people, departments. */
export function PickerSelect(props: PickerSelectProps) {
  const values = props.value === undefined ? [] : Array.isArray(props.value) ? props.value : [props.value];
  const { options, loading, onSearch, onOpen } = useChoices(values, props.resolve, props.search);
  return (
    <Select
      id={props.id}
      showSearch={{ filterOption: false, onSearch }}
      allowClear
      mode={props.multiple ? 'multiple' : undefined}
      value={props.multiple ? values : (values[0] ?? undefined)}
      disabled={props.disabled}
      placeholder={props.placeholder}
      status={props.status}
      notFoundContent={loading ? <Spin size="small" /> : props.notFound}
      onOpenChange={(open) => {
        if (open) onOpen();
      }}
      options={options.map((o) => ({
        value: o.value,
        label: o.label,
        disabled: o.inactive && !values.includes(o.value),
      }))}
      onChange={(next: string | string[] | undefined) =>
        props.onChange(Array.isArray(next) ? (next.length > 0 ? next : undefined) : (next ?? undefined))
      }
      onBlur={props.onBlur}
      style={{ width: '100%' }}
    />
  );
}
