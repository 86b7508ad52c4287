import type { Identity } from '@crm/engine';
import { Hono } from 'hono';
import { readJsonBody } from '../body.ts';
import type { ApiEnv } from '../env.ts';

/** `/api/org/security`: password policy, session timeouts, lockout and IP allowlists. */
export function securityRoutes(identity: Identity): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/', async (c) => c.json(await identity.settings.get()));

  // the admin's own address guards the workspace allowlist: nobody locks themselves out by a typo
  app.patch('/', async (c) =>
    c.json(await identity.settings.update(await readJsonBody(c), { guardIp: c.var.client.ip })),
  );

  return app;
}
