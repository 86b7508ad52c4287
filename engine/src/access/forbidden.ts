import { type EngineError, localizedError } from '../errors.ts';
import type { Operation } from './rights.ts';

/** The actor may see the thing but not do this to it (403). */
export function forbidden(
  operation: Operation | 'export' | 'admin' | 'restore' | 'purge',
  what: string,
): EngineError {
  const message = `you may not ${operation === 'admin' ? 'administer' : operation} ${what}`;
  return localizedError('forbidden', '', 'forbidden', { en: message, 'zh-CN': '没有权限执行此操作' });
}
