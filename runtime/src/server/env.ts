import type { Actor } from '@crm/engine';

/** What every request carries through the middleware chain. */
export interface ApiEnv {
  Variables: {
    /** Who performs the request; set by the actor middleware (auth replaces it later). */
    actor: Actor;
  };
}
