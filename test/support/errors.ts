// Catching the engine's errors in tests: the call must fail, and with an EngineError.
import { EngineError } from '@crm/engine';

/** The EngineError `work` fails with; fails the test when it succeeds or throws anything else. */
export async function engineError(work: Promise<unknown> | (() => Promise<unknown>)): Promise<EngineError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw new Error(`expected an EngineError, got: ${error instanceof Error ? error.stack : String(error)}`);
  }
  throw new Error('expected an EngineError, but the call succeeded');
}
