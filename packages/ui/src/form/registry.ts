import type { RegistryFieldsType, RegistryWidgetsType, TemplatesType } from '@rjsf/utils';
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
