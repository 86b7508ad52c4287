import type { IncomingMessage } from 'node:http';
import type { Actor, ClientInfo, Principal } from '@crm/engine';

/** What every request carries through the middleware chain. */
export interface ApiEnv {
  Variables: {
    /** Who performs the request; set by the authentication middleware (not on the public endpoints). */
    actor: Actor;
    /** Who authenticated and how; undefined on the public endpoints (health, login, setup, docs). */
    principal: Principal | undefined;
    /** The client's address and user agent. */
    client: ClientInfo;
    /** Largest request body accepted, in bytes (413 above it). */
    bodyLimit: number;
  };
  /** Set by @hono/node-server: the Node request, read directly for bodies (see body.ts). */
  Bindings: { incoming?: IncomingMessage };
}
