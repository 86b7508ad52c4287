import { autonumberField } from './autonumber.ts';
import { booleanField } from './boolean.ts';
import { changedAtField } from './changed-at.ts';
import { dateField } from './date.ts';
import { datetimeField } from './datetime.ts';
import { decimalField } from './decimal.ts';
import { departmentField } from './department.ts';
import { emailField } from './email.ts';
import { fileField } from './file.ts';
import { formulaField } from './formula.ts';
import { integerField } from './integer.ts';
import { longTextField } from './long-text.ts';
import { moneyField } from './money.ts';
import { multiSelectField } from './multi-select.ts';
import { percentField } from './percent.ts';
import { phoneField } from './phone.ts';
import { FieldTypeRegistry } from './registry.ts';
import { relationField } from './relation.ts';
import { relationsField } from './relations.ts';
import { rollupField } from './rollup.ts';
import { selectField } from './select.ts';
import { subtableField } from './subtable.ts';
import { textField } from './text.ts';
import { urlField } from './url.ts';
import { userField } from './user.ts';

export const builtInFieldTypes = [
  textField,
  longTextField,
  integerField,
  decimalField,
  moneyField,
  percentField,
  booleanField,
  dateField,
  datetimeField,
  selectField,
  multiSelectField,
  emailField,
  phoneField,
  urlField,
  userField,
  departmentField,
  relationField,
  relationsField,
  formulaField,
  rollupField,
  autonumberField,
  changedAtField,
  fileField,
];

/** A registry holding the built-in field types; plugins register more on it. */
export function createFieldTypeRegistry(): FieldTypeRegistry {
  const registry = new FieldTypeRegistry();
  for (const type of builtInFieldTypes) registry.register(type);
  // rows are checked and validated with the field types of the same registry
  registry.register(subtableField(registry));
  return registry;
}

export { formulaFilterFamily } from './formula.ts';
export type { ColumnSpec, FieldType, FilterFamily, JsonSchema, ValueProblem } from './registry.ts';
export { FieldTypeRegistry } from './registry.ts';
export { relationSettings } from './relation.ts';
export { relationsSettings } from './relations.ts';
export { rollupSettings } from './rollup.ts';
export { subtableSettings } from './subtable.ts';
