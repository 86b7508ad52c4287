import { sql } from 'drizzle-orm';
import type { Db } from '../../storage/db.ts';
import type { FlowNode, ProcessGraph } from '../model.ts';
import type { TriggerKind, TriggerSpec } from './compile.ts';

/** NOTIFY channel telling every server that a workspace's deployed processes changed (payload: its schema). */
export const WORKFLOW_CHANNEL = 'crm_workflows';

/** One trigger of the latest version of a process. */
export interface DeployedTrigger {
  processId: string;
  version: number;
  /** The process's name, else its id. */
  processName: string;
  /** The start event it starts at. */
  startEvent: FlowNode;
  trigger: TriggerSpec;
  /** The `crm:record` module (null for an `api` trigger of a process about no records). */
  module: string | null;
}

export async function announceDeploy(tx: Db, schema: string): Promise<void> {
  await tx.run(sql`SELECT pg_notify(${WORKFLOW_CHANNEL}, ${schema})`);
}

/**
 * The triggers of the latest deployed version of every process, by module and kind. Loaded on first
 * use and again after a deploy on any server (NOTIFY), so a record write asks no extra query.
 */
export class TriggerCatalog {
  #loaded: Promise<Map<string, DeployedTrigger[]>> | null = null;

  constructor(private readonly latestGraphs: (db: Db) => Promise<ProcessGraph[]>) {}

  /** Forget what was loaded (a deploy happened). */
  invalidate(): void {
    this.#loaded = null;
  }

  /**
   * The triggers of `kind` on `module`. `db` is where to load them if not loaded yet: a caller in a
   * transaction passes it (PGlite has one connection, which the transaction holds).
   */
  async of(module: string, kind: TriggerKind, db: Db): Promise<DeployedTrigger[]> {
    return (await this.#byModule(db)).get(`${module}/${kind}`) ?? [];
  }

  /** Every trigger of `processId`'s latest version. */
  async ofProcess(processId: string, db: Db): Promise<DeployedTrigger[]> {
    const all = [...(await this.#byModule(db)).values()].flat();
    return all.filter((entry) => entry.processId === processId);
  }

  #byModule(db: Db): Promise<Map<string, DeployedTrigger[]>> {
    if (!this.#loaded) {
      const loading = this.#load(db);
      this.#loaded = loading;
      loading.catch(() => {
        if (this.#loaded === loading) this.#loaded = null;
      });
    }
    return this.#loaded;
  }

  async #load(db: Db): Promise<Map<string, DeployedTrigger[]>> {
    const byModule = new Map<string, DeployedTrigger[]>();
    for (const graph of await this.latestGraphs(db)) {
      for (const startEvent of graph.triggerStarts) {
        for (const trigger of startEvent.triggers ?? []) {
          const module = graph.record?.module ?? null;
          const key = `${module ?? ''}/${trigger.on}`;
          const list = byModule.get(key) ?? [];
          list.push({
            processId: graph.processId,
            version: graph.version,
            processName: graph.name ?? graph.processId,
            startEvent,
            trigger,
            module,
          });
          byModule.set(key, list);
        }
      }
    }
    return byModule;
  }
}
