import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  Engine,
  type FileOptions,
  type OutboundPolicy,
  openDatabase,
  outboundPolicyFrom,
  startPluginJobRunner,
  startWorkflowRunner,
} from '@crm/engine';
import { createApp, serve } from '@crm/runtime';
import { generateClient } from './codegen/index.ts';
import { describeError, exportConfiguration, importConfiguration } from './configuration.ts';
import { demoPackages } from './demo.ts';
import { adminFromEnvironment, environmentProblems, firstStartMessage, isInputError } from './first-admin.ts';
import { loadPlugins, readProjectConfig } from './plugin-config.ts';
import { previewLines, terminalLocale } from './preview-text.ts';

const USAGE = `Usage: crm <command> [options]

Commands:
  start [--demo]        start the server (PORT, default 3000); --demo loads the example packages on first start
  import <dir> [--seed] [--dry-run] [--confirm-data-loss]
                        show what the app package in <dir> adds and changes, then import it all or
                        nothing (--dry-run: only show; --seed: then create the records of <dir>/seed.json;
                        --confirm-data-loss: let type changes drop the values they cannot convert)
  export <dir> [--name <name>] [--package-version <x.y.z>]
                        write the workspace's configuration (modules, roles) to <dir> as an app package
  codegen [--out <dir>] write TypeScript types of every published module and a typed REST client
                        to <dir> (default ./crm-client)

Plugins: crm.config.json in the current folder lists them ({ "plugins": ["./my-plugin/index.ts"] }).

Database: DATABASE_URL selects PostgreSQL; otherwise embedded PGlite with its data in CRM_DATA_DIR
(default ./.crm-data).

First start: CRM_ADMIN_USERNAME and CRM_ADMIN_PASSWORD create the first administrator; without them
the server log shows a one-time setup secret for POST /api/auth/setup. CRM_TRUST_PROXY=<n> believes
the X-Forwarded-For/-Proto of n reverse proxies in front of the server.

Attachments are kept in the database unless CRM_FILES_DIR names a folder for them;
CRM_MAX_FILE_SIZE caps any one file (bytes, default 100 MiB). CRM_TIMEZONE (an IANA name) dates
autonumbers and today().

Webhooks, the webhook action and plugin actions call public addresses only: CRM_WEBHOOK_ALLOW_PRIVATE=true
also allows loopback and private networks, CRM_WEBHOOK_ALLOW_HOSTS (comma-separated host names,
addresses, CIDR ranges) allows those.`;

/** A mistake in how the command was called: its message is all the user needs. */
class UsageError extends Error {}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function openEngine() {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = resolve(process.env.CRM_DATA_DIR || '.crm-data');
  const poolSize = process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : undefined;
  const files = filesFromEnvironment();
  const config = await readProjectConfig(process.cwd()).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  const { plugins, problems } = await loadPlugins(process.cwd(), config);
  for (const problem of problems) console.error(`${problem} (started without it)`);
  const outbound = outboundFromEnvironment();
  const db = await openDatabase({ databaseUrl, dataDir, poolSize });
  const engine = await Engine.open({ db, files, plugins, outbound });
  return { engine, where: databaseUrl ? 'PostgreSQL' : `PGlite in ${dataDir}` };
}

/** Where webhooks and actions may call: CRM_WEBHOOK_ALLOW_PRIVATE and CRM_WEBHOOK_ALLOW_HOSTS. */
function outboundFromEnvironment(): OutboundPolicy {
  try {
    return outboundPolicyFrom(process.env);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Attachments: in CRM_FILES_DIR if set (else in the database), at most CRM_MAX_FILE_SIZE bytes each. */
function filesFromEnvironment(): FileOptions {
  const dir = process.env.CRM_FILES_DIR ? resolve(process.env.CRM_FILES_DIR) : undefined;
  const limit = process.env.CRM_MAX_FILE_SIZE;
  const maxSize = limit ? Number(limit) : undefined;
  if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < 1)) {
    throw new UsageError(`CRM_MAX_FILE_SIZE: '${limit}' is not a number of bytes`);
  }
  return { dir, maxSize };
}

async function start(demo: boolean) {
  const { engine, where } = await openEngine();
  const workspace = await engine.workspace('default');
  if (demo && workspace.catalog.all().length === 0) {
    for (const dir of await demoPackages()) {
      const result = await importConfiguration(workspace, dir, { seed: true });
      const modules = result.preview.items.filter((i) => i.kind === 'modules').map((i) => i.name);
      const { name } = result.preview.manifest;
      console.log(
        `Loaded the ${name} example (${modules.join(', ')}) with ${result.records} sample records.`,
      );
    }
  }
  const administrator = adminFromEnvironment();
  const firstStart = await workspace.identity.firstAdmin.prepare(administrator).catch((error: unknown) => {
    throw isInputError(error) ? new UsageError(environmentProblems(error)) : error;
  });
  const port = Number(process.env.PORT || 3000);
  const trustedProxies = Number(process.env.CRM_TRUST_PROXY || 0);
  if (!Number.isInteger(trustedProxies) || trustedProxies < 0) {
    throw new UsageError(
      `CRM_TRUST_PROXY: '${process.env.CRM_TRUST_PROXY}' is not a number of proxies (0, 1, 2 …)`,
    );
  }
  const app = createApp({ engine, workspace, trustedProxies });
  const stopWorkflows = startWorkflowRunner(workspace.workflows, {
    onError: (error) => console.error('workflow runner:', error),
    onStuck: (report) =>
      console.warn(
        `workflow sweeper: ${report.orphanTokens.length} tokens waiting on nothing, ` +
          `${report.expiredLeases.length} expired job leases, ${report.overdueJobs.length} overdue jobs, ` +
          `${report.emptyInstances.length} instances without tokens (GET /api/workflows/stuck)`,
      ),
  });
  const stopPluginJobs = startPluginJobRunner(workspace.plugins);
  const stopWebhooks = startWorkflowRunner(workspace.webhooks, {
    onError: (error) => console.error('webhook deliveries:', error),
  });
  const server = await serve(app, port, process.env.HOST || '0.0.0.0');
  console.log(`CRM server on ${server.url} (database: ${where})`);
  console.log(`API reference: ${server.url}/api/docs`);
  for (const line of firstStartMessage(firstStart, server.url, administrator.username !== undefined))
    console.log(line);
  const stop = async () => {
    await stopWorkflows();
    await stopPluginJobs();
    await stopWebhooks();
    await server.close();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function codegen(dir: string) {
  const { engine } = await openEngine();
  try {
    const files = await generateClient(await engine.workspace('default'), dir);
    console.log(`Wrote ${files.length} files to ${dir}.`);
  } finally {
    await engine.close();
  }
}

/**
 * Expressions' `today()` and `now()` follow the process time zone; a company's day starts at its own
 * midnight (Asia/Shanghai for most users here), not the server's.
 */
function applyTimeZone() {
  const zone = process.env.CRM_TIMEZONE;
  if (!zone) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new UsageError(
      `CRM_TIMEZONE: '${zone}' is not a time zone (use an IANA name such as Asia/Shanghai)`,
    );
  }
  process.env.TZ = zone;
}

async function main(argv: string[]) {
  applyTimeZone();
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      seed: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'confirm-data-loss': { type: 'boolean' },
      name: { type: 'string' },
      'package-version': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, dir] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  if (command === 'start') return start(values.demo === true);
  if (command === 'codegen') return codegen(resolve(values.out ?? 'crm-client'));
  if (command !== 'import' && command !== 'export')
    throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
  if (!dir) throw new UsageError(`crm ${command} needs a folder`);
  if (command === 'import' && !(await isFolder(resolve(dir))))
    throw new UsageError(`${resolve(dir)} is no folder`);
  const { engine } = await openEngine();
  try {
    const workspace = await engine.workspace('default');
    if (command === 'import') {
      const dryRun = values['dry-run'] === true;
      let shown = false;
      const result = await importConfiguration(workspace, resolve(dir), {
        seed: values.seed === true,
        dryRun,
        confirmDataLoss: values['confirm-data-loss'] === true,
        onPreview: (preview) => {
          for (const line of previewLines(preview, terminalLocale())) console.log(line);
          shown = preview.problems.length > 0;
        },
      }).catch((error: unknown) => {
        // the preview has listed the problems already
        throw shown && error instanceof Error ? new UsageError(error.message) : error;
      });
      if (dryRun) console.log('Dry run: nothing was imported.');
      else {
        const seeded = values.seed ? ` and created ${result.records} sample records` : '';
        console.log(`Imported ${result.preview.manifest.name} ${result.preview.manifest.version}${seeded}.`);
      }
    } else {
      const files = await exportConfiguration(workspace, resolve(dir), {
        name: values.name,
        version: values['package-version'],
      });
      console.log(`Wrote ${files.length} files to ${resolve(dir)}.`);
    }
  } finally {
    await engine.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof UsageError ? error.message : describeError(error));
  process.exit(1);
});
