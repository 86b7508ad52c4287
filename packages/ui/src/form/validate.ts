import { type ConditionState, createAjv, type JsonSchema, problemsFromAjv } from '@crm/engine/browser';
import type { FieldProblem } from './problems.ts';

const ajv = createAjv();
const compiled = new WeakMap<JsonSchema, ReturnType<typeof ajv.compile>>();

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/** The values as the API takes them: empty values left out (the API reads them as "clear"). */
export function withoutEmpty(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => !isEmpty(value)));
}

/**
 * The problems the server would find before its rules: the record schema, checked by the engine's
 * own ajv setup (same keywords, same messages in both languages), then the fields the conditions
 * require now. Read-only fields (computed, or not writable) are not the user's to fix.
 */
export function validateRecord(
  schema: JsonSchema,
  values: Record<string, unknown>,
  state: ConditionState,
  readOnly: ReadonlySet<string>,
): FieldProblem[] {
  let validate = compiled.get(schema);
  if (!validate) {
    const properties = { ...(schema.properties as Record<string, JsonSchema>) };
    for (const name of readOnly) delete properties[name];
    validate = ajv.compile({
      ...schema,
      properties,
      required: ((schema.required ?? []) as string[]).filter((name) => !readOnly.has(name)),
      additionalProperties: true,
    });
    compiled.set(schema, validate);
  }
  const data = withoutEmpty(values);
  const problems: FieldProblem[] = validate(data) ? [] : problemsFromAjv(validate.errors);
  const hidden = new Set(state.hidden);
  for (const name of state.required) {
    if (isEmpty(values[name]) && !readOnly.has(name) && !problems.some((p) => p.pointer === `/${name}`)) {
      problems.push({
        pointer: `/${name}`,
        message: 'is required',
        messages: { en: 'is required', 'zh-CN': '必填' },
      });
    }
  }
  // a hidden field is never the user's to fix
  return problems.filter((p) => !hidden.has(p.pointer.split('/')[1] ?? ''));
}
