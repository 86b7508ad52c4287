import { EngineError } from '../errors.ts';

/** A filter the engine refuses, with a pointer to the offending place. */
export function fail(pointer: string, message: string, code = 'invalid-filter'): never {
  throw new EngineError('invalid-query', `invalid filter: ${message}`, [{ pointer, code, message }]);
}
