import type { LocaleText } from '../../definitions/types.ts';
import { notFound } from '../../errors.ts';
import type { RecordObserver, RecordWrite } from '../../records/observers.ts';
import type { Actor } from '../../records/types.ts';
import type { Db } from '../../storage/db.ts';
import type { InstanceRow } from '../rows.ts';
import type { StartOptions } from '../service.ts';
import type { DeployedTrigger, TriggerCatalog } from './catalog.ts';

/** A manual action offered on a record: a button that starts a process for it. */
export interface RecordAction {
  processId: string;
  version: number;
  processName: string;
  /** The start event the action starts at. */
  elementId: string;
  label: LocaleText;
}

export interface TriggerServices {
  catalog: TriggerCatalog;
  db: Db;
  start(processId: string, options: StartOptions, actor: Actor): Promise<InstanceRow>;
  /** Throws not-found when `actor` may not read the record. */
  readRecord(module: string, id: string, actor: Actor): Promise<unknown>;
}

/** Writes by the system (workflow record actions, imports, seeds) start no flows: a flow cannot retrigger itself. */
function startsFlows(actor: Actor): boolean {
  return actor.userId !== null && actor.via !== 'system';
}

/**
 * Record triggers (created, updated with a FEEL condition over old and new values, deleted) of the
 * latest deployed versions: each matching trigger starts its process in the transaction of the record
 * write, so the write and the start commit together. A condition that fails to evaluate must not undo
 * the user's write: the instance starts with an incident at its start event, which an admin retries
 * (the flow goes on) or cancels. Manual triggers are actions offered on the record page.
 */
export class RecordTriggers implements RecordObserver {
  constructor(private readonly services: TriggerServices) {}

  async watches(module: { name: string }, kind: RecordWrite['kind'], actor: Actor, db: Db): Promise<boolean> {
    if (!startsFlows(actor)) return false;
    return (await this.services.catalog.of(module.name, kind, db)).length > 0;
  }

  async written(tx: Db, write: RecordWrite): Promise<void> {
    const triggers = await this.services.catalog.of(write.module.name, write.kind, tx);
    const values = write.after ?? write.before;
    if (!values) return;
    for (const entry of triggers) {
      let fires = true;
      let failure: string | undefined;
      if (entry.trigger.condition) {
        try {
          const scope = { old: write.before, new: write.after, actor: write.actor.userId };
          fires = entry.trigger.condition.evaluate(scope) === true;
        } catch (error) {
          failure = `the trigger condition failed: ${error instanceof Error ? error.message : String(error)}`;
        }
      }
      if (!fires && failure === undefined) continue;
      await this.#start(entry, write.module.name, write.id, values, write.actor, tx, failure);
    }
  }

  /** The manual actions offered on a record the actor can read (404 when they cannot). */
  async actions(module: string, recordId: string, actor: Actor): Promise<RecordAction[]> {
    await this.services.readRecord(module, recordId, actor);
    const entries = await this.services.catalog.of(module, 'manual', this.services.db);
    return entries.map((entry) => ({
      processId: entry.processId,
      version: entry.version,
      processName: entry.processName,
      elementId: entry.startEvent.id,
      label: entry.trigger.label ?? { en: entry.processName, 'zh-CN': entry.processName },
    }));
  }

  /** Starts the manual action `processId` for a record, as the user who clicked it (who must be able to read it). */
  async runAction(
    module: string,
    recordId: string,
    processId: string,
    actor: Actor,
    variables?: unknown,
  ): Promise<InstanceRow> {
    const entries = await this.services.catalog.of(module, 'manual', this.services.db);
    const entry = entries.find((each) => each.processId === processId);
    if (!entry) throw notFound(`action '${processId}' on ${module} records`);
    return this.services.start(
      processId,
      {
        version: entry.version,
        startEvent: entry.startEvent.id,
        record: { module, id: recordId },
        variables,
      },
      actor,
    );
  }

  #start(
    entry: DeployedTrigger,
    module: string,
    id: string,
    values: Record<string, unknown>,
    actor: Actor,
    tx: Db,
    failure: string | undefined,
  ): Promise<InstanceRow> {
    return this.services.start(
      entry.processId,
      {
        version: entry.version,
        startEvent: entry.startEvent.id,
        record: { module, id, values },
        db: tx,
        startIncident: failure,
      },
      actor,
    );
  }
}
