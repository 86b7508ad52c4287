import { SYSTEM_ACTOR } from '@crm/engine';
import { createMiddleware } from 'hono/factory';
import type { ApiEnv } from './env.ts';

/**
 * Decides who the request acts as. The API is open for now, so everyone is the system;
 * authentication will replace this one middleware.
 */
export const actorMiddleware = createMiddleware<ApiEnv>(async (c, next) => {
  c.set('actor', SYSTEM_ACTOR);
  await next();
});
