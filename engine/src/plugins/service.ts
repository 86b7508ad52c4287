import { type SQL, sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import { EngineError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Clock } from '../identity/clock.ts';
import type { Actor, RecordValues, StoredRecord } from '../records/types.ts';
import { SYSTEM_ACTOR } from '../records/types.ts';
import { isValues, type RecordWriteHooks, type WriteEvent } from '../records/write-hooks.ts';
import type { Db } from '../storage/db.ts';
import { quoteIdent } from '../storage/naming.ts';
import type { WorkflowAction } from '../workflow/actions.ts';
import type { Workspace } from '../workspace.ts';
import { dueJobs, nextRun } from './jobs.ts';
import { ensurePluginTables, PLUGIN_LOCK, pluginTables } from './tables.ts';
import type {
  EnginePlugin,
  HookContext,
  PluginContext,
  PluginState,
  PluginStatus,
  RecordHooks,
} from './types.ts';

export const PLUGIN_CHANNEL = 'crm_plugins';

export type PluginLog = (line: string) => void;

type BeforeHook = 'beforeCreate' | 'beforeUpdate' | 'beforeDelete';
type AfterHook = 'afterCreate' | 'afterUpdate' | 'afterDelete';
const AFTER: Record<WriteEvent, AfterHook> = {
  create: 'afterCreate',
  update: 'afterUpdate',
  delete: 'afterDelete',
};

interface StateRow {
  name: string;
  version: string;
  state: PluginState;
  installed_at: unknown;
  last_error: string | null;
  last_error_at: unknown;
}

/**
 * The plugins of one workspace: their install (own migrations, definitions), enable/disable/uninstall
 * state (a table; each server caches it and reloads on NOTIFY), and the guarded calls into their code:
 * a plugin that throws is reported (response, log, its last error) and never leaves a write half done.
 */
export class PluginService {
  readonly #tables;
  #states = new Map<string, StateRow>();
  /** Failures that could not be stored with the plugin's row (an install that rolled back). */
  readonly #loadErrors = new Map<string, { at: string; message: string }>();
  #workspace: Workspace | undefined;

  constructor(
    private readonly db: Db,
    readonly schema: string,
    readonly plugins: readonly EnginePlugin[],
    private readonly clock: Clock,
    private readonly log: PluginLog,
    /** The zone jobs' cron expressions are read in unless they name theirs (the workspace's). */
    private readonly timeZone: string,
  ) {
    this.#tables = pluginTables(schema);
  }

  /** Makes the tables, installs configured plugins not yet installed (or upgraded), loads the states. */
  async start(workspace: Workspace): Promise<void> {
    this.#workspace = workspace;
    await ensurePluginTables(this.db, this.schema);
    for (const plugin of this.plugins) {
      try {
        await this.#install(plugin, false);
      } catch (error) {
        this.#report(plugin.name, 'install', error);
      }
    }
    await this.reload();
  }

  /** Reads every plugin's state again (another server enabled or disabled one). */
  async reload(): Promise<void> {
    const rows = await this.db.query<StateRow>(sql`SELECT * FROM ${this.#tables.plugins}`);
    this.#states = new Map(rows.map((row) => [row.name, row]));
  }

  async follow(): Promise<() => Promise<void>> {
    return this.db.listen(PLUGIN_CHANNEL, (schema) => {
      if (schema === this.schema) this.reload().catch((error) => this.log(`plugin states: ${error}`));
    });
  }

  isEnabled(name: string): boolean {
    return this.#states.get(name)?.state === 'enabled';
  }

  list(): PluginStatus[] {
    return this.plugins.map((plugin) => this.#status(plugin));
  }

  status(name: string): PluginStatus {
    return this.#status(this.#plugin(name));
  }

  enable(name: string): Promise<PluginStatus> {
    return this.#setState(name, 'enabled', ['disabled']);
  }

  disable(name: string): Promise<PluginStatus> {
    return this.#setState(name, 'disabled', ['enabled']);
  }

  /** Installs again a plugin that was uninstalled (migrations already run are not run again). */
  async install(name: string): Promise<PluginStatus> {
    await this.#install(this.#plugin(name), true);
    await this.#announce();
    return this.status(name);
  }

  /**
   * Turns the plugin off for good: its hooks, actions, routes and jobs stop, a start does not install
   * it again. Its data stays unless `purge`, which runs its purge and forgets its migrations.
   */
  async uninstall(name: string, options: { purge?: boolean } = {}): Promise<PluginStatus> {
    const plugin = this.#plugin(name);
    const now = this.clock().toISOString();
    await this.db.transaction(async (tx) => {
      const changed = await tx.run(
        sql`UPDATE ${this.#tables.plugins} SET state = 'uninstalled', changed_at = ${now}
            WHERE name = ${name} AND state <> 'uninstalled'`,
      );
      if (changed === 0) throw notInState(name, 'installed');
      if (options.purge) {
        for (const statement of plugin.purge ?? []) await tx.run(this.#statement(statement));
        await tx.run(sql`DELETE FROM ${this.#tables.migrations} WHERE plugin = ${name}`);
        await tx.run(sql`DELETE FROM ${this.#tables.jobs} WHERE plugin = ${name}`);
      }
      await announce(tx, this.schema);
    });
    await this.reload();
    return this.status(name);
  }

  /** The hooks the record service runs; each call into a plugin is guarded. */
  readonly writeHooks: RecordWriteHooks = {
    concerns: (module) => this.#hooksOf(module).length > 0,
    beforeCreate: (module, values, actor) =>
      this.#before(module, actor, 'beforeCreate', values, (hook, v, ctx) => hook.beforeCreate?.(v, ctx)),
    beforeUpdate: (module, patch, current, actor) =>
      this.#before(module, actor, 'beforeUpdate', patch, (hook, v, ctx) =>
        hook.beforeUpdate?.(v, { ...ctx, current }),
      ),
    beforeDelete: async (module, current, actor) => {
      await this.#before(module, actor, 'beforeDelete', current, async (hook, v, ctx) => {
        await hook.beforeDelete?.(v as StoredRecord, ctx);
        return undefined;
      });
    },
    after: async (event, module, record, actor) => {
      const name = AFTER[event];
      for (const [plugin, hook] of this.#hooksOf(module)) {
        const run = hook[name];
        if (!run) continue;
        try {
          await run(record, this.#hookContext(plugin, module, actor));
        } catch (error) {
          // the write has committed: the failure is the plugin's to see (log, last error), not the caller's
          this.#report(plugin.name, `${name} on ${module.name}`, error);
        }
      }
    },
  };

  /** The plugins' workflow actions, off while their plugin is not enabled. */
  actions(): WorkflowAction[] {
    return this.plugins.flatMap((plugin) =>
      (plugin.actions ?? []).map(
        (action): WorkflowAction => ({
          type: action.type,
          describe: {
            label: action.label,
            description: action.description,
            inputs: action.inputs,
            outputs: action.outputs,
          },
          run: async (context) => {
            if (!this.isEnabled(plugin.name)) {
              throw new EngineError('plugin-failed', `plugin '${plugin.name}' is not enabled`);
            }
            try {
              return await action.run({ ...context, ...this.#context(plugin) });
            } catch (error) {
              this.#report(plugin.name, `action ${action.type}`, error);
              throw error;
            }
          },
        }),
      ),
    );
  }

  /**
   * Runs the enabled plugins' jobs that are due, each once across servers: the claim moves its next
   * run on in the same statement (SKIP LOCKED), so another server's claim finds it not due.
   */
  async runDueJobs(): Promise<{ ran: string[]; failed: string[] }> {
    const now = this.clock();
    const enabled = this.plugins.filter((p) => this.isEnabled(p.name) && (p.jobs ?? []).length > 0);
    const ran: string[] = [];
    const failed: string[] = [];
    for (const { plugin, job } of await dueJobs(this.db, this.#tables.jobs, enabled, now, this.timeZone)) {
      const name = `${plugin.name}/${job.name}`;
      try {
        await job.run({ ...this.#context(plugin), now });
        ran.push(name);
        await this.db.run(
          sql`UPDATE ${this.#tables.jobs} SET last_error = NULL WHERE plugin = ${plugin.name} AND name = ${job.name}`,
        );
      } catch (error) {
        failed.push(name);
        const message = this.#report(plugin.name, `job ${job.name}`, error);
        await this.db.run(
          sql`UPDATE ${this.#tables.jobs} SET last_error = ${message} WHERE plugin = ${plugin.name} AND name = ${job.name}`,
        );
      }
    }
    return { ran, failed };
  }

  /** Runs `work` as the named plugin's code: a throw that is no EngineError is reported as its failure. */
  async guard<T>(name: string, where: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.failure(name, where, error);
    }
  }

  /**
   * What a throw from a plugin's code becomes: an EngineError (a deliberate refusal) stays itself;
   * anything else is logged, kept as the plugin's last error, and told as `plugin-failed`.
   */
  failure(name: string, where: string, error: unknown): EngineError {
    if (error instanceof EngineError) return error;
    const message = this.#report(name, where, error);
    const en = `plugin '${name}' failed in ${where}: ${message}`;
    return new EngineError('plugin-failed', en, [
      {
        pointer: '',
        code: 'plugin-failed',
        message: en,
        messages: { en, 'zh-CN': `插件“${name}”在 ${where} 中出错：${message}` },
      },
    ]);
  }

  /** The context a plugin's code gets (routes get it too). */
  contextOf(name: string): PluginContext {
    return this.#context(this.#plugin(name));
  }

  async #before(
    module: CompiledModule,
    actor: Actor,
    where: BeforeHook,
    values: RecordValues,
    call: (hook: RecordHooks, values: RecordValues, ctx: HookContext) => unknown,
  ): Promise<RecordValues> {
    let current = values;
    // in the order the configuration lists the plugins, then the order each plugin lists its hooks
    for (const [plugin, hook] of this.#hooksOf(module)) {
      if (!hook[where]) continue;
      const ctx = this.#hookContext(plugin, module, actor);
      const changed = await this.guard(plugin.name, `${where} on ${module.name}`, async () => {
        const result = await call(hook, { ...current }, ctx);
        if (result !== undefined && !isValues(result)) {
          throw new Error('a before hook must return the values (an object) or nothing');
        }
        return result;
      });
      if (changed) current = changed;
    }
    return current;
  }

  #hooksOf(module: CompiledModule): [EnginePlugin, RecordHooks][] {
    return this.plugins
      .filter((plugin) => this.isEnabled(plugin.name))
      .flatMap((plugin) =>
        (plugin.hooks ?? [])
          .filter((hook) => hook.module === '*' || hook.module === module.name)
          .map((hook): [EnginePlugin, RecordHooks] => [plugin, hook]),
      );
  }

  #context(plugin: EnginePlugin): PluginContext {
    const workspace = this.#workspace;
    if (!workspace) throw new Error('the plugin service has not started');
    return {
      plugin: plugin.name,
      workspace,
      log: (line) => this.log(`[plugin ${plugin.name}] ${line}`),
      table: (name) => sql.raw(`${quoteIdent(this.schema)}.${quoteIdent(name)}`),
      query: (strings, ...values) => this.db.query(sql(strings, ...values)),
    };
  }

  #statement(text: string): SQL {
    return sql.raw(text.replaceAll('{{schema}}', quoteIdent(this.schema)));
  }

  #hookContext(plugin: EnginePlugin, module: CompiledModule, actor: Actor): HookContext {
    return { ...this.#context(plugin), module: module.definition, actor };
  }

  /** Logs a failure, keeps it as the plugin's last error, and gives its message. */
  #report(name: string, where: string, error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    this.log(
      `[plugin ${name}] ${where} failed: ${error instanceof Error ? (error.stack ?? message) : message}`,
    );
    const at = this.clock().toISOString();
    this.#loadErrors.set(name, { at, message: `${where}: ${message}` });
    this.db
      .run(
        sql`UPDATE ${this.#tables.plugins} SET last_error = ${`${where}: ${message}`}, last_error_at = ${at}
            WHERE name = ${name}`,
      )
      .catch((failure) => this.log(`[plugin ${name}] could not store its last error: ${failure}`));
    return message;
  }

  async #install(plugin: EnginePlugin, again: boolean): Promise<void> {
    const T = this.#tables;
    const now = this.clock().toISOString();
    const [known] = await this.db.query<StateRow>(
      sql`SELECT * FROM ${T.plugins} WHERE name = ${plugin.name}`,
    );
    if (known?.state === 'uninstalled' && !again) return;
    const fresh = !known || known.version !== plugin.version || again;
    if (plugin.definitions && fresh && this.#workspace) {
      // first, in its own transaction (the package import's); importing what is already there changes nothing
      const files =
        typeof plugin.definitions === 'function' ? await plugin.definitions() : plugin.definitions;
      await this.#workspace.packages.import(files, SYSTEM_ACTOR);
    }
    await this.db.transaction(async (tx) => {
      await tx.run(sql`SELECT pg_advisory_xact_lock(${PLUGIN_LOCK})`);
      const [row] = await tx.query<StateRow>(sql`SELECT * FROM ${T.plugins} WHERE name = ${plugin.name}`);
      if (row?.state === 'uninstalled' && !again) return;
      if (row && row.state !== 'uninstalled' && again) throw notInState(plugin.name, 'uninstalled');
      const applied = new Set(
        (
          await tx.query<{ id: string }>(sql`SELECT id FROM ${T.migrations} WHERE plugin = ${plugin.name}`)
        ).map((r) => r.id),
      );
      for (const migration of plugin.migrations ?? []) {
        if (applied.has(migration.id)) continue;
        for (const statement of migration.statements) await tx.run(this.#statement(statement));
        await tx.run(
          sql`INSERT INTO ${T.migrations} (plugin, id, plugin_version, applied_at)
              VALUES (${plugin.name}, ${migration.id}, ${plugin.version}, ${now})`,
        );
      }
      if (!row) {
        await tx.run(
          sql`INSERT INTO ${T.plugins} (name, version, state, installed_at, changed_at)
              VALUES (${plugin.name}, ${plugin.version}, 'enabled', ${now}, ${now})`,
        );
      } else if (row.version !== plugin.version || again) {
        await tx.run(
          sql`UPDATE ${T.plugins} SET version = ${plugin.version}, changed_at = ${now},
                state = CASE WHEN state = 'uninstalled' THEN 'enabled' ELSE state END
              WHERE name = ${plugin.name}`,
        );
      }
      for (const job of plugin.jobs ?? []) {
        await tx.run(
          sql`INSERT INTO ${T.jobs} (plugin, name, next_run) VALUES (${plugin.name}, ${job.name},
                ${nextRun(job, new Date(now), this.timeZone).toISOString()}) ON CONFLICT DO NOTHING`,
        );
      }
    });
    this.#loadErrors.delete(plugin.name);
  }

  async #setState(name: string, state: PluginState, from: PluginState[]): Promise<PluginStatus> {
    this.#plugin(name);
    const now = this.clock().toISOString();
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ state: PluginState }>(
        sql`SELECT state FROM ${this.#tables.plugins} WHERE name = ${name} FOR UPDATE`,
      );
      if (!row || (row.state !== state && !from.includes(row.state)))
        throw notInState(name, from.join(' or '));
      await tx.run(
        sql`UPDATE ${this.#tables.plugins} SET state = ${state}, changed_at = ${now} WHERE name = ${name}`,
      );
      await announce(tx, this.schema);
    });
    await this.reload();
    return this.status(name);
  }

  async #announce(): Promise<void> {
    await announce(this.db, this.schema);
    await this.reload();
  }

  #plugin(name: string): EnginePlugin {
    const plugin = this.plugins.find((p) => p.name === name);
    if (!plugin) throw notFound(`plugin '${name}'`);
    return plugin;
  }

  #status(plugin: EnginePlugin): PluginStatus {
    const row = this.#states.get(plugin.name);
    const stored =
      row?.last_error && row.last_error_at
        ? { at: String(timestampToIso(row.last_error_at)), message: row.last_error }
        : null;
    const memory = this.#loadErrors.get(plugin.name) ?? null;
    const lastError = memory && (!stored || memory.at >= stored.at) ? memory : stored;
    return {
      name: plugin.name,
      version: plugin.version,
      label: plugin.label ?? null,
      state: row?.state ?? 'uninstalled',
      installedVersion: row?.version ?? null,
      installedAt: row ? String(timestampToIso(row.installed_at)) : null,
      lastError,
      contributes: {
        fieldTypes: (plugin.fieldTypes ?? []).map((t) => t.type),
        hooks: (plugin.hooks ?? []).map((h) => h.module),
        actions: (plugin.actions ?? []).map((a) => a.type),
        jobs: (plugin.jobs ?? []).map((j) => j.name),
        routes: plugin.routes !== undefined,
        definitions: plugin.definitions !== undefined,
      },
    };
  }
}

function notInState(name: string, state: string): EngineError {
  const en = `plugin '${name}' is not ${state}`;
  return new EngineError('conflict', en, [
    {
      pointer: '',
      code: 'plugin-state',
      message: en,
      messages: { en, 'zh-CN': `插件“${name}”当前状态不允许此操作` },
    },
  ]);
}

async function announce(db: Db, schema: string): Promise<void> {
  await db.run(sql`SELECT pg_notify(${PLUGIN_CHANNEL}, ${schema})`);
}

export type { StoredRecord };
