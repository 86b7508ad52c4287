import type { IncomingMessage } from 'node:http';
import type { Actor } from '@crm/engine';

/** What every request carries through the middleware chain. */
export interface ApiEnv {
  Variables: {
    /** Who performs the request; set by the actor middleware (auth replaces it later). */
    actor: Actor;
    /** Largest request body accepted, in bytes (413 above it). */
    bodyLimit: number;
  };
  /** Set by @hono/node-server: the Node request, read directly for bodies (see body.ts). */
  Bindings: { incoming?: IncomingMessage };
}
