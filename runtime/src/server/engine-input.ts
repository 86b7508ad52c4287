import type { Context } from 'hono';
import { readJsonBody } from './body.ts';
import type { ApiEnv } from './env.ts';

/**
 * The JSON body, handed on as the engine call's input type. Only a cast: the engine checks the
 * shape of every input itself (and answers 422 with pointers), whoever the caller.
 */
export async function engineInput<T>(c: Context<ApiEnv>): Promise<T> {
  return (await readJsonBody(c)) as T;
}
