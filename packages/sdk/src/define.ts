import { type EnginePlugin, nextRun, type PluginContext } from '@crm/engine';
import type { Hono } from 'hono';
import type { PluginRouteEnv } from './routes.ts';

/**
 * A plugin: one `definePlugin` call. Everything but `name` and `version` is optional:
 * - `fieldTypes`: new field types (column, JSON Schema, FEEL type, server `validate`, form `widget`, list `cell`);
 * - `hooks`: record hooks before/after create, update and delete of a module (or `'*'`);
 * - `actions`: workflow service-task actions (`zeebe:taskDefinition type`), with inputs/outputs for the modeler;
 * - `routes`: HTTP routes, mounted under `/api/plugins/{name}` with the caller's identity;
 * - `jobs`: work run every `every` (ISO 8601 duration) or on a `cron` schedule (with `timezone`), once across servers;
 * - `migrations`/`purge`: the plugin's own tables; `definitions`: modules, roles, flows as an app package.
 */
export interface PluginDefinition extends Omit<EnginePlugin, 'routes'> {
  routes?(app: Hono<PluginRouteEnv>, ctx: PluginContext): void;
}

const NAME = /^[a-z][a-z0-9-]{1,39}$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** Checks a plugin's definition and returns it, typed. Mistakes throw at once, naming the plugin. */
export function definePlugin<const T extends PluginDefinition>(plugin: T): T {
  const problems = definitionProblems(plugin);
  if (problems.length > 0) {
    throw new Error(`plugin '${String(plugin.name)}' is not valid:\n  ${problems.join('\n  ')}`);
  }
  return plugin;
}

function definitionProblems(plugin: PluginDefinition): string[] {
  const problems: string[] = [];
  if (typeof plugin.name !== 'string' || !NAME.test(plugin.name)) {
    problems.push('name: lower-case letters, digits and dashes, starting with a letter (2–40 characters)');
  }
  if (typeof plugin.version !== 'string' || !VERSION.test(plugin.version)) {
    problems.push('version: a semantic version such as 1.2.0');
  }
  for (const [kind, names] of Object.entries({
    fieldTypes: (plugin.fieldTypes ?? []).map((t) => t.type),
    actions: (plugin.actions ?? []).map((a) => a.type),
    jobs: (plugin.jobs ?? []).map((j) => j.name),
    migrations: (plugin.migrations ?? []).map((m) => m.id),
  })) {
    const seen = new Set<string>();
    for (const [i, name] of names.entries()) {
      if (typeof name !== 'string' || name === '') problems.push(`${kind}/${i}: needs a name`);
      else if (seen.has(name)) problems.push(`${kind}/${i}: '${name}' is listed twice`);
      seen.add(name);
    }
  }
  for (const [i, hook] of (plugin.hooks ?? []).entries()) {
    if (typeof hook.module !== 'string' || hook.module === '') {
      problems.push(`hooks/${i}/module: a module name, or '*' for every module`);
    }
  }
  for (const [i, job] of (plugin.jobs ?? []).entries()) {
    try {
      nextRun(job, new Date());
    } catch (error) {
      problems.push(`jobs/${i}: ${(error as Error).message}`);
    }
  }
  return problems;
}
