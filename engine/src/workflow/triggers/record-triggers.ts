import type { LocaleText } from '../../definitions/types.ts';
import { localizedError, notFound } from '../../errors.ts';
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
  /** The record's values; throws not-found when `actor` may not read it. */
  readRecord(module: string, id: string, actor: Actor): Promise<Record<string, unknown>>;
  /** The processes with an active instance about the record, read through `db`. */
  runningFor(module: string, recordId: string, db: Db): Promise<Set<string>>;
  /** Serializes starts of `processId` for the record until `tx` ends. */
  lockStart(tx: Db, processId: string, recordId: string): Promise<void>;
}

/** Why a manual action is not offered on a record now (null: it is). */
interface Unavailable {
  code: 'already-running' | 'condition-not-met' | 'condition-failed';
  en: string;
  'zh-CN': string;
}

function actionLabel(entry: DeployedTrigger): LocaleText {
  return entry.trigger.label ?? { en: entry.processName, 'zh-CN': entry.processName };
}

/** Why the manual action of `entry` is not offered on a record with `values` to `actor`; null when it is. */
function unavailable(
  entry: DeployedTrigger,
  values: Record<string, unknown>,
  actor: Actor,
  running: Set<string>,
): Unavailable | null {
  const label = actionLabel(entry);
  if (running.has(entry.processId)) {
    return {
      code: 'already-running',
      en: `'${label.en}' is not available: ${entry.processName} is already running for this record`,
      'zh-CN': `“${label['zh-CN']}”不可用：该记录的${entry.processName}正在进行中`,
    };
  }
  const condition = entry.trigger.condition;
  if (!condition) return null;
  try {
    if (condition.evaluate({ record: values, actor: actor.userId }) === true) return null;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      code: 'condition-failed',
      en: `'${label.en}' is not available: its condition failed (${reason})`,
      'zh-CN': `“${label['zh-CN']}”不可用：其条件求值失败（${reason}）`,
    };
  }
  return {
    code: 'condition-not-met',
    en: `'${label.en}' is not available for this record now (${condition.source} does not hold)`,
    'zh-CN': `“${label['zh-CN']}”当前不适用于该记录（条件 ${condition.source} 不成立）`,
  };
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

  /**
   * The manual actions offered on a record the actor can read (404 when they cannot): those whose
   * condition holds for the record and the actor, and whose process is not already running for it.
   */
  async actions(module: string, recordId: string, actor: Actor): Promise<RecordAction[]> {
    const values = await this.services.readRecord(module, recordId, actor);
    const entries = await this.services.catalog.of(module, 'manual', this.services.db);
    const running = await this.services.runningFor(module, recordId, this.services.db);
    return entries
      .filter((entry) => unavailable(entry, values, actor, running) === null)
      .map((entry) => ({
        processId: entry.processId,
        version: entry.version,
        processName: entry.processName,
        elementId: entry.startEvent.id,
        label: actionLabel(entry),
      }));
  }

  /**
   * Starts the manual action `processId` for a record, as the user who clicked it (who must be able
   * to read it). Refused (409, naming why) when the action is not offered on the record now: its
   * condition does not hold, or the process already runs for the record. Starts of one action on one
   * record are serialized, so two clicks at once start one instance.
   */
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
    const values = await this.services.readRecord(module, recordId, actor);
    return this.services.db.transaction(async (tx) => {
      await this.services.lockStart(tx, processId, recordId);
      const running = await this.services.runningFor(module, recordId, tx);
      const reason = unavailable(entry, values, actor, running);
      if (reason) {
        const { code, ...messages } = reason;
        throw localizedError('conflict', '', code, messages);
      }
      return this.services.start(
        processId,
        {
          version: entry.version,
          startEvent: entry.startEvent.id,
          record: { module, id: recordId, values },
          variables,
          db: tx,
        },
        actor,
      );
    });
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
