/** The plugin host: what plugins bring (types.ts), their lifecycle and guarded calls (service.ts). */
export { nextRun, startPluginJobRunner } from './jobs.ts';
export { PLUGIN_CHANNEL, type PluginLog, PluginService } from './service.ts';
export type {
  Awaitable,
  EnginePlugin,
  HookContext,
  PluginAction,
  PluginContext,
  PluginFieldType,
  PluginJob,
  PluginMigration,
  PluginState,
  PluginStatus,
  RecordHooks,
} from './types.ts';
