import { pointerOf } from '@crm/engine';
import type { ApiError } from './problem.ts';

/**
 * What no JSON sent to the API may hold, wherever it is:
 * - a `__proto__` key: JSON.parse keeps it as an own property, and spreading or assigning it
 *   further on replaces an object's prototype (no API name can be `__proto__`);
 * - a NUL character: PostgreSQL text and jsonb cannot store it, so it would fail in the database.
 */
export function findForbiddenJson(value: unknown, pointer = ''): ApiError | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? { pointer, code: 'nul-character', detail: 'must not contain the NUL character (\\u0000)' }
      : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (Object.hasOwn(value, '__proto__')) {
    return {
      pointer: `${pointer}/__proto__`,
      code: 'forbidden-key',
      detail: "the key '__proto__' is not allowed",
    };
  }
  for (const [key, child] of Object.entries(value)) {
    const at = pointer + pointerOf(key);
    if (key.includes('\u0000')) {
      return {
        pointer: at,
        code: 'nul-character',
        detail: 'a key must not contain the NUL character (\\u0000)',
      };
    }
    const found = findForbiddenJson(child, at);
    if (found) return found;
  }
  return undefined;
}
