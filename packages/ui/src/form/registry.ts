import { pluginWidgets } from '@crm/sdk/browser';
import type { RegistryFieldsType, RegistryWidgetsType, TemplatesType, WidgetProps } from '@rjsf/utils';
import { type ComponentType, createElement } from 'react';
import {
  ArrayFieldItemTemplate,
  ArrayFieldTemplate,
  FieldTemplate,
  ObjectFieldTemplate,
} from './templates.tsx';
import { SelectWidget, TagsWidget } from './widgets/choice-widgets.tsx';
import { DateTimeWidget, DateWidget } from './widgets/date-widgets.tsx';
import { MoneyField } from './widgets/MoneyField.tsx';
import { FilesWidget, PercentWidget, ReadonlyField } from './widgets/misc-widgets.tsx';
import { DepartmentWidget, LookupWidget, MultiLookupWidget, UserWidget } from './widgets/pickers.tsx';

/** A widget per field type (the server's widget names); text, email, url, numbers and yes/no are the theme's. */
export const recordFormWidgets: RegistryWidgetsType = {
  lookup: LookupWidget,
  multiLookup: MultiLookupWidget,
  user: UserWidget,
  department: DepartmentWidget,
  select: SelectWidget,
  tags: TagsWidget,
  date: DateWidget,
  datetime: DateTimeWidget,
  percent: PercentWidget,
  files: FilesWidget,
};

/**
 * The form's widgets with those of the plugins' browser entries (a field type's `widget` name is the
 * key). Read at render: the entries register themselves when the app starts.
 */
export function formWidgets(): RegistryWidgetsType {
  const widgets: RegistryWidgetsType = { ...recordFormWidgets };
  for (const [name, widget] of Object.entries(pluginWidgets())) {
    const Widget = widget as ComponentType<WidgetProps>;
    // rjsf 6 keeps formContext (the form's locale) in the registry; the SDK promises it as a prop
    widgets[name] = (props: WidgetProps) =>
      createElement(Widget, { ...props, formContext: props.registry.formContext });
  }
  return widgets;
}

export const recordFormFields: RegistryFieldsType = {
  money: MoneyField,
  readonly: ReadonlyField,
};

export const recordFormTemplates: Partial<TemplatesType> = {
  FieldTemplate,
  ObjectFieldTemplate,
  ArrayFieldTemplate,
  ArrayFieldItemTemplate,
};
