import type { WidgetProps } from '@rjsf/utils';
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';

const DATE = 'YYYY-MM-DD';

function common(props: WidgetProps) {
  return {
    id: props.id,
    disabled: props.disabled || props.readonly,
    placeholder: props.placeholder || undefined,
    status: props.rawErrors && props.rawErrors.length > 0 ? ('error' as const) : undefined,
    onBlur: () => props.onBlur(props.id, props.value),
    style: { width: '100%' },
  };
}

/** A day, kept as `YYYY-MM-DD` (no time zone: a date is the same day everywhere). */
export function DateWidget(props: WidgetProps) {
  const value = typeof props.value === 'string' ? dayjs(props.value, DATE) : null;
  return (
    <DatePicker
      {...common(props)}
      value={value?.isValid() ? value : null}
      onChange={(day: Dayjs | null) => props.onChange(day ? day.format(DATE) : undefined)}
    />
  );
}

/** A moment, shown and picked in the browser's time zone, kept as ISO 8601 UTC. */
export function DateTimeWidget(props: WidgetProps) {
  const value = typeof props.value === 'string' ? dayjs(props.value) : null;
  return (
    <DatePicker
      {...common(props)}
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      value={value?.isValid() ? value : null}
      onChange={(moment: Dayjs | null) => props.onChange(moment ? moment.toISOString() : undefined)}
    />
  );
}
