import { EngineError, pointerOf } from '@crm/engine';

/**
 * A refusal naming one field, for before hooks: the API answers 422 with the pointer and both
 * messages (`/fields` of a sub-table row: pass the path segments).
 */
export function fieldError(
  field: string | (string | number)[],
  code: string,
  messages: { en: string; 'zh-CN': string },
): EngineError {
  const pointer = pointerOf(...(Array.isArray(field) ? field : [field]));
  return new EngineError('invalid-record', `${pointer.slice(1)}: ${messages.en}`, [
    { pointer, code, message: messages.en, messages },
  ]);
}
