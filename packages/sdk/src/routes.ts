import type { Actor, PluginContext } from '@crm/engine';

/**
 * What a plugin's route handlers find on `c.var`: the caller (`actor`, authenticated like every
 * `/api` request: read records through `ctx.workspace.records` as them to keep their permissions)
 * and the plugin's context.
 */
export interface PluginRouteEnv {
  Variables: {
    actor: Actor;
    plugin: PluginContext;
  };
}
