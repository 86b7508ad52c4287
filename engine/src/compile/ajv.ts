import { Ajv, type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Problem } from '../errors.ts';
import { normalizeFloat } from '../expressions/decimal.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * Whether `value` is a multiple of `step` as the decimal it stands for: the quotient, taken to the
 * 15 significant digits a float holds, is whole. (ajv's own check allows a fixed absolute error,
 * which float division exceeds for large values: it refused 1234567.89 as a multiple of 0.01.)
 */
export function isMultipleOf(value: number, step: number): boolean {
  return Number.isInteger(normalizeFloat(value / step));
}

/** ajv's `multipleOf` replaced by `isMultipleOf`; ajv reads `errors` right after each (synchronous) call. */
const multipleOf: SchemaValidateFunction = (step: number, value: number) => {
  const valid = isMultipleOf(value, step);
  multipleOf.errors = valid
    ? []
    : [{ keyword: 'multipleOf', params: { multipleOf: step }, message: `must be multiple of ${step}` }];
  return valid;
};

/**
 * The ajv setup shared by the server and the browser forms, so both accept exactly the same values.
 * `multipleOf` is checked as decimals (see `isMultipleOf`), so `multipleOf: 0.01` takes 0.07 and
 * 1234567.89 despite float error, and refuses 1.005.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-options' });
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword({
    keyword: 'multipleOf',
    type: 'number',
    schemaType: 'number',
    errors: true,
    validate: multipleOf,
  });
  return ajv;
}

const messages: Record<string, (e: ErrorObject) => { en: string; 'zh-CN': string }> = {
  required: () => ({ en: 'is required', 'zh-CN': '必填' }),
  additionalProperties: () => ({ en: 'is not a known field', 'zh-CN': '不是已知字段' }),
  type: (e) => ({ en: `must be of type ${e.params.type}`, 'zh-CN': `类型应为 ${e.params.type}` }),
  maxLength: (e) => ({
    en: `must be at most ${e.params.limit} characters`,
    'zh-CN': `最多 ${e.params.limit} 个字符`,
  }),
  minLength: (e) => ({
    en: `must be at least ${e.params.limit} characters`,
    'zh-CN': `至少 ${e.params.limit} 个字符`,
  }),
  maximum: (e) => ({ en: `must be at most ${e.params.limit}`, 'zh-CN': `不能大于 ${e.params.limit}` }),
  minimum: (e) => ({ en: `must be at least ${e.params.limit}`, 'zh-CN': `不能小于 ${e.params.limit}` }),
  multipleOf: (e) => {
    const places = decimalPlaces(e.params.multipleOf as number);
    return { en: `must have at most ${places} decimal places`, 'zh-CN': `最多 ${places} 位小数` };
  },
  pattern: () => ({ en: 'has an invalid format', 'zh-CN': '格式不正确' }),
  format: (e) => ({ en: `must be a valid ${e.params.format}`, 'zh-CN': `不是有效的 ${e.params.format}` }),
  enum: (e) => ({
    en: `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`,
    'zh-CN': `必须是以下之一：${(e.params.allowedValues as unknown[]).join('、')}`,
  }),
  const: (e) => ({
    en: `must be ${JSON.stringify(e.params.allowedValue)}`,
    'zh-CN': `必须为 ${e.params.allowedValue}`,
  }),
  uniqueItems: () => ({ en: 'must not repeat items', 'zh-CN': '不能有重复项' }),
  maxItems: (e) => ({
    en: `must have at most ${e.params.limit} items`,
    'zh-CN': `最多 ${e.params.limit} 项`,
  }),
  minItems: (e) => ({
    en: `must have at least ${e.params.limit} items`,
    'zh-CN': `至少 ${e.params.limit} 项`,
  }),
  minProperties: () => ({ en: 'must not be empty', 'zh-CN': '不能为空' }),
  propertyNames: () => ({ en: 'is not an allowed key', 'zh-CN': '不是允许的键' }),
};

function decimalPlaces(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/** ajv errors as problems whose pointer names the offending property itself. */
export function problemsFromAjv(errors: ErrorObject[] | null | undefined, prefix = ''): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === 'if' || error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    // what a key breaks inside `propertyNames` is told by the propertyNames error, pointing at the key
    if (error.propertyName !== undefined && error.keyword !== 'propertyNames') continue;
    let pointer = prefix + error.instancePath;
    if (error.keyword === 'required') pointer += `/${escapePointer(String(error.params.missingProperty))}`;
    if (error.keyword === 'additionalProperties')
      pointer += `/${escapePointer(String(error.params.additionalProperty))}`;
    if (error.keyword === 'propertyNames') pointer += `/${escapePointer(String(error.params.propertyName))}`;
    const key = `${pointer}|${error.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const localized = messages[error.keyword]?.(error);
    problems.push({
      pointer,
      code: error.keyword,
      message: localized?.en ?? error.message ?? 'is invalid',
      ...(localized ? { messages: localized } : {}),
    });
  }
  return problems;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export type { ValidateFunction };
