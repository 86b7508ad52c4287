import { sql } from 'drizzle-orm';
import { appendOperation } from '../access/operation-log.ts';
import type { RoleStore } from '../access/roles.ts';
import type { ModuleCatalog } from '../catalog.ts';
import type { DefinitionChecker } from '../definitions/check.ts';
import type { DefinitionStore, PublishOptions } from '../definitions/store.ts';
import type { LocaleText, ModuleDefinition } from '../definitions/types.ts';
import { EngineError, type Problem } from '../errors.ts';
import { type Actor, SYSTEM_ACTOR } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { PUBLISH_LOCK } from '../storage/execute.ts';
import { qualified } from '../storage/naming.ts';
import type { WorkflowService } from '../workflow/service.ts';
import { canonicalJson, sameJson } from './canonical-json.ts';
import { text } from './changes.ts';
import { flowKind } from './flow-kind.ts';
import {
  inFile,
  invalidPackage,
  MANIFEST_FILE,
  manifestProblems,
  PACKAGE_FORMAT,
  type PackageFiles,
  type PackageManifest,
} from './format.ts';
import type { ItemUpdate, KindContext, PackageItem, PackageKind } from './kinds.ts';
import { moduleKind } from './module-kind.ts';
import { readPackage } from './read-package.ts';
import { roleKind } from './role-kind.ts';
import type { PackageImportResult, PackageItemPreview, PackagePreview } from './types.ts';

/** `_settings` row holding the manifest of the package imported last (what an export names itself). */
const INSTALLED_KEY = 'package';

export interface ExportOptions {
  name?: string;
  version?: string;
  label?: LocaleText;
}

class PreviewRollback extends Error {
  constructor(readonly preview: PackagePreview) {
    super('package preview');
  }
}

interface KindPlan {
  kind: PackageKind;
  updates: ItemUpdate<unknown>[];
}

/**
 * App packages: a workspace's configuration (modules, roles, workflow and approval definitions)
 * as a folder of diffable files, exported, previewed and imported all or nothing. Security
 * settings, the organisation, users and records stay out: they belong to one installation.
 */
export class PackageService {
  readonly #kinds: PackageKind[];

  constructor(
    private readonly db: Db,
    private readonly workspaceId: string,
    private readonly schema: string,
    private readonly catalog: ModuleCatalog,
    private readonly definitions: DefinitionStore,
    private readonly roles: RoleStore,
    checker: DefinitionChecker,
    workflows: WorkflowService,
  ) {
    this.#kinds = [moduleKind(workspaceId, checker), roleKind(roles), flowKind(workflows)] as PackageKind[];
  }

  /** The folders this server reads and writes, in the order they apply. */
  get kinds(): string[] {
    return this.#kinds.map((k) => k.folder);
  }

  /** The workspace's configuration as package files, sorted by path; two exports of the same configuration are equal. */
  async export(options: ExportOptions = {}): Promise<PackageFiles> {
    return this.db.transaction(async (tx) => {
      const installed = await this.#installed(tx);
      const manifest: PackageManifest = {
        format: PACKAGE_FORMAT,
        name: options.name ?? installed?.name ?? this.workspaceId.toLowerCase(),
        version: options.version ?? installed?.version ?? '1.0.0',
        label:
          options.label ??
          installed?.label ??
          text(`Workspace ${this.workspaceId}`, `工作区 ${this.workspaceId}`),
        ...(installed?.description ? { description: installed.description } : {}),
      };
      const problems = manifestProblems(manifest);
      if (problems.length > 0) {
        throw new EngineError('invalid-input', 'the package name or version is not valid', problems);
      }
      const files: PackageFiles = { [MANIFEST_FILE]: canonicalJson(manifest) };
      for (const kind of this.#kinds) {
        for (const item of await kind.current(tx)) Object.assign(files, kind.write(item));
      }
      return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1)));
    });
  }

  /** What importing the package would add, change and leave, the migration plan and its problems; changes nothing. */
  async preview(files: unknown, options: PublishOptions = {}): Promise<PackagePreview> {
    try {
      await this.#run(files, SYSTEM_ACTOR, true, options);
    } catch (error) {
      if (error instanceof PreviewRollback) return error.preview;
      throw error;
    }
    throw new Error('unreachable: a package preview always rolls back');
  }

  /**
   * Imports the package in one transaction: modules published together, then roles. Items equal to
   * the workspace's are not touched (a second import of the same package changes nothing); any
   * problem refuses the whole package. `confirmDataLoss` lets type changes that lose values go ahead.
   */
  async import(
    files: unknown,
    actor: Actor = SYSTEM_ACTOR,
    options: PublishOptions = {},
  ): Promise<PackageImportResult> {
    try {
      const preview = await this.#run(files, actor, false, options);
      return { ...preview, imported: true };
    } finally {
      // committed or not, this server's catalog must show what the database holds
      await this.catalog.reload();
    }
  }

  async #installed(tx: Db): Promise<PackageManifest | null> {
    const [row] = await tx.query<{ value: unknown }>(
      sql`SELECT value FROM ${this.#settings} WHERE key = ${INSTALLED_KEY}`,
    );
    if (!row) return null;
    return (typeof row.value === 'string' ? JSON.parse(row.value) : row.value) as PackageManifest;
  }

  get #settings() {
    return sql.raw(qualified(this.schema, '_settings'));
  }

  async #run(
    input: unknown,
    actor: Actor,
    dryRun: boolean,
    publishOptions: PublishOptions,
  ): Promise<PackagePreview> {
    const { read, problems: readProblems } = readPackage(input, this.#kinds);
    if (!read) throw invalidPackage(readProblems);
    return this.db.transaction(async (tx) => {
      await tx.run(sql`SELECT pg_advisory_xact_lock(${PUBLISH_LOCK}, hashtext(${this.workspaceId}))`);
      const installed = await this.#installed(tx);
      const prepared = await prepareItems(tx, this.#kinds, read.items);
      const modulesAfter = modulesAfterImport(prepared);
      const { previews, untouched, plans } = compare(prepared, (id) => modulesAfter.get(id)?.name ?? id);

      const ctx: KindContext = {
        tx,
        definitions: this.definitions.within(tx),
        roles: this.roles.within(tx, (id) => modulesAfter.get(id)),
        modulesAfter,
        actor,
        publishOptions,
        dryRun,
      };
      const steps: PackagePreview['steps'] = [];
      const problems: Problem[] = [];
      let refused = false;
      for (const { kind, updates } of plans) {
        const outcome = await kind.apply(ctx, updates);
        steps.push(...outcome.steps);
        problems.push(...outcome.problems);
        refused ||= outcome.refused === true;
        // a refused write may have ended the transaction: later kinds would only fail on that
        if (!dryRun && problems.length > 0) break;
      }

      const count = (status: PackageItemPreview['status']) =>
        previews.filter((p) => p.status === status).length;
      const preview: PackagePreview = {
        manifest: read.manifest,
        installed,
        summary: { added: count('added'), changed: count('changed'), unchanged: count('unchanged') },
        items: previews,
        untouched,
        steps,
        problems,
      };
      if (dryRun) throw new PreviewRollback(preview);
      if (problems.length > 0) {
        const message = 'the package import was refused; nothing was changed';
        throw new EngineError(refused ? 'migration-refused' : 'invalid-definition', message, problems, {
          steps,
        });
      }
      await this.#remember(tx, installed, preview, actor);
      return preview;
    });
  }

  /** Keeps the manifest of the package imported (what exports name themselves after) and logs the import. */
  async #remember(tx: Db, installed: PackageManifest | null, preview: PackagePreview, actor: Actor) {
    const { manifest, summary } = preview;
    const newManifest = !sameJson(installed, manifest);
    if (newManifest) {
      await tx.run(
        sql`INSERT INTO ${this.#settings} (key, value, updated_at)
            VALUES (${INSTALLED_KEY}, ${JSON.stringify(manifest)}::jsonb, now())
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      );
    }
    if (summary.added + summary.changed > 0 || newManifest) {
      await appendOperation(tx, this.schema, actor, 'package.import', {
        details: { package: manifest.name, version: manifest.version, ...summary },
      });
    }
  }
}

interface PreparedKind {
  kind: PackageKind;
  /** The package's items, checked and completed. */
  items: PackageItem[];
  /** The workspace's items, by id. */
  current: Map<string, PackageItem>;
}

/** Each kind's items checked and completed against the workspace's; any problem refuses the package. */
async function prepareItems(
  tx: Db,
  kinds: PackageKind[],
  read: Map<string, PackageItem[]>,
): Promise<PreparedKind[]> {
  const problems: Problem[] = [];
  const prepared: PreparedKind[] = [];
  for (const kind of kinds) {
    const current = new Map((await kind.current(tx)).map((item) => [item.id, item]));
    const items = (read.get(kind.folder) ?? []).map((item) => {
      const { value, problems: found } = kind.prepare(item.value, current.get(item.id)?.value);
      problems.push(...found.map((p) => inFile(item.file, p)));
      const name = (value as { name?: unknown }).name;
      return { ...item, value, name: typeof name === 'string' ? name : item.name };
    });
    prepared.push({ kind, items, current });
  }
  if (problems.length > 0) throw invalidPackage(problems);
  return prepared;
}

/** Every module as it will be after the import: the published ones overlaid with the package's. */
function modulesAfterImport(prepared: PreparedKind[]): Map<string, ModuleDefinition> {
  const modules = new Map<string, ModuleDefinition>();
  for (const { kind, items, current } of prepared) {
    if (kind.folder !== 'modules') continue;
    for (const item of [...current.values(), ...items]) modules.set(item.id, item.value as ModuleDefinition);
  }
  return modules;
}

/** What the package adds, changes and leaves, item by item, and the updates each kind will apply. */
function compare(prepared: PreparedKind[], moduleName: (id: string) => string) {
  const previews: PackageItemPreview[] = [];
  const untouched: PackagePreview['untouched'] = [];
  const plans: KindPlan[] = [];
  for (const { kind, items, current } of prepared) {
    const updates: ItemUpdate<unknown>[] = [];
    for (const item of items) {
      const before = current.get(item.id);
      const status = !before ? 'added' : sameJson(before.value, item.value) ? 'unchanged' : 'changed';
      if (status !== 'unchanged') updates.push({ item, before });
      previews.push(itemPreview(kind, item, before, status, moduleName));
    }
    const named = new Set(items.map((i) => i.id));
    for (const item of current.values()) {
      if (!named.has(item.id)) untouched.push({ kind: kind.folder, id: item.id, name: item.name });
    }
    plans.push({ kind, updates });
  }
  return { previews, untouched, plans };
}

function itemPreview(
  kind: PackageKind,
  item: PackageItem,
  before: PackageItem | undefined,
  status: PackageItemPreview['status'],
  moduleName: (id: string) => string,
): PackageItemPreview {
  const changes = status === 'changed' && before ? kind.changes(before.value, item.value, moduleName) : [];
  if (status === 'changed' && changes.length === 0) {
    changes.push({
      part: kind.folder,
      change: 'changed',
      description: text('Change the definition', '修改定义'),
    });
  }
  const preview: PackageItemPreview = {
    kind: kind.folder,
    file: item.file,
    id: item.id,
    name: item.name,
    status,
    changes,
  };
  if (kind.folder === 'modules') {
    const from = before?.version ?? null;
    preview.fromVersion = from;
    preview.toVersion = status === 'unchanged' && from !== null ? from : (from ?? 0) + 1;
    if (status !== 'unchanged' && before?.hasDraft) preview.replacesDraft = true;
  }
  return preview;
}
