import type { WidgetProps } from '@rjsf/utils';
import { formContextOf } from '../context.ts';
import { PickerSelect } from './PickerSelect.tsx';

interface LookupOptions {
  targetModule?: string;
  titleField?: string;
}

function common(props: WidgetProps) {
  return {
    id: props.id,
    disabled: props.disabled || props.readonly,
    placeholder: props.placeholder || formContextOf(props.registry).text.searchPlaceholder,
    notFound: formContextOf(props.registry).text.noMatches,
    status: props.rawErrors && props.rawErrors.length > 0 ? ('error' as const) : undefined,
    onBlur: () => props.onBlur(props.id, props.value),
  };
}

function lookup(props: WidgetProps, multiple: boolean) {
  const { services } = formContextOf(props.registry);
  const { targetModule = '', titleField = 'id' } = props.options as LookupOptions;
  return (
    <PickerSelect
      {...common(props)}
      multiple={multiple}
      value={props.value}
      resolve={(ids) => services.recordTitles(targetModule, titleField, ids)}
      search={(query) => services.searchRecords(targetModule, titleField, query)}
      onChange={props.onChange}
    />
  );
}

/** A relation: search the target module's records, show their title field. */
export const LookupWidget = (props: WidgetProps) => lookup(props, false);

/** A many-relation: several records of the target as tags, in the order picked. */
export const MultiLookupWidget = (props: WidgetProps) => lookup(props, true);

export function UserWidget(props: WidgetProps) {
  const { services } = formContextOf(props.registry);
  return (
    <PickerSelect
      {...common(props)}
      value={props.value}
      resolve={(ids) => services.users(ids)}
      search={(query) => services.searchUsers(query)}
      onChange={props.onChange}
    />
  );
}

export function DepartmentWidget(props: WidgetProps) {
  const { services } = formContextOf(props.registry);
  return (
    <PickerSelect
      {...common(props)}
      value={props.value}
      resolve={(ids) => services.departments(ids)}
      search={(query) => services.searchDepartments(query)}
      onChange={props.onChange}
    />
  );
}
