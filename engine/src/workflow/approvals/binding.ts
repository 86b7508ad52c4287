import { sql } from 'drizzle-orm';
import { EngineError } from '../../errors.ts';
import type { Actor } from '../../records/types.ts';
import type { Db } from '../../storage/db.ts';
import type { Variables } from '../expression.ts';
import type { Run } from '../run.ts';
import type { ApprovalFlow } from './flow.ts';
import { submitterOf } from './flow.ts';
import { pendingIfAny } from './pending.ts';
import type { ApprovalTables } from './store.ts';

/** What the approvals need of the record side: stable module ids and a status write in the flow's transaction. */
export interface ApprovalRecords {
  /** The id of a published module by name (locks are kept by id, so a rename keeps them). */
  moduleId(name: string): string | null;
  /** Throws not-found when `actor` may not read the record (or there is none). */
  checkReadable(module: string, id: string, actor: Actor): Promise<void>;
  /** The titles of those of the records `actor` may read, by id (one query per module). */
  titles(module: string, ids: string[], actor: Actor): Promise<Map<string, string>>;
  /**
   * Sets one field of a record as the engine itself (no lock, no access check), inside `db`. The
   * records whose rollups follow are observed as changed by `cause`, the user whose action it was
   * (approving a movement changes stock as the approver's write would).
   */
  setField(
    db: Db,
    module: string,
    id: string,
    field: string,
    value: string,
    cause: string | null,
  ): Promise<void>;
}

const ENDINGS = new Set(['instance-completed', 'instance-terminated', 'instance-cancelled']);

/**
 * The record a flow is about (`crm:record`): locked against users' changes while the flow holds it,
 * its status field at the approval's state, and the submitter told of the outcome.
 */
export class RecordKeeper {
  constructor(
    private readonly T: ApprovalTables,
    private readonly records: ApprovalRecords | undefined,
    private readonly flow: ApprovalFlow,
  ) {}

  /** Refuses a user's change of a record a flow holds (HTTP 423), naming the flow. */
  async guard(db: Db, moduleId: string, recordId: string): Promise<void> {
    const [lock] = await db.query<{ instance_id: string; process_name: string | null }>(
      sql`SELECT instance_id, process_name FROM ${this.T.locks}
        WHERE module_id = ${moduleId} AND record_id = ${recordId} LIMIT 1`,
    );
    if (!lock) return;
    const name = lock.process_name ?? 'approval';
    const messages = {
      en: `the record is in approval ('${name}') and cannot be changed or deleted until the approval ends`,
      'zh-CN': `该记录正在审批中（'${name}'），审批结束前不能修改或删除`,
    };
    throw new EngineError(
      'locked',
      messages.en,
      [{ pointer: '', code: 'locked', message: messages.en, messages }],
      {
        lockedBy: { instanceId: lock.instance_id, process: name },
      },
    );
  }

  /** After a run is written: hold or release the record, set its status, tell the submitter the outcome. */
  async afterRun(tx: Db, run: Run, hasApprovals: boolean): Promise<void> {
    const ended =
      run.instance.state !== 'active' && run.changes.history.some((event) => ENDINGS.has(event.event));
    const binding = run.graph.record;
    const module = run.instance.module;
    const recordId = run.instance.record_id;
    if (binding && module && recordId) {
      const events = pendingIfAny(run)?.binding ?? [];
      if (run.isNew && !ended) await this.#hold(tx, run, module, recordId, binding.statuses.pending);
      for (const event of events) {
        if (event === 'returned') await this.#release(tx, run, module, recordId, binding.statuses.recalled);
        else await this.#hold(tx, run, module, recordId, binding.statuses.pending);
      }
      if (ended) {
        const outcome = this.#outcome(run);
        await this.#release(tx, run, module, recordId, binding.statuses[outcome]);
      }
    }
    if (ended && hasApprovals) await this.#tellSubmitter(tx, run);
  }

  #outcome(run: Run): 'approved' | 'rejected' | 'recalled' {
    if (run.instance.state === 'cancelled') return 'recalled';
    const approval = run.instance.variables.approval as Variables | undefined;
    return approval?.outcome === 'rejected' ? 'rejected' : 'approved';
  }

  async #hold(tx: Db, run: Run, module: string, recordId: string, status: string): Promise<void> {
    const binding = run.graph.record;
    const moduleId = this.records?.moduleId(module);
    if (binding?.lock && moduleId) {
      await tx.run(
        sql`INSERT INTO ${this.T.locks} (instance_id, module_id, record_id, process_name, since)
          VALUES (${run.instance.id}, ${moduleId}, ${recordId}, ${run.graph.name ?? run.graph.processId}, ${run.now})
          ON CONFLICT (instance_id) DO NOTHING`,
      );
    }
    await this.#status(tx, run, module, recordId, binding?.statusField ?? null, status);
  }

  async #release(tx: Db, run: Run, module: string, recordId: string, status: string): Promise<void> {
    await tx.run(sql`DELETE FROM ${this.T.locks} WHERE instance_id = ${run.instance.id}`);
    await this.#status(tx, run, module, recordId, run.graph.record?.statusField ?? null, status);
  }

  async #status(
    tx: Db,
    run: Run,
    module: string,
    recordId: string,
    field: string | null,
    value: string,
  ): Promise<void> {
    if (!field || !this.records) return;
    await this.records.setField(tx, module, recordId, field, value, run.services.actor);
  }

  async #tellSubmitter(tx: Db, run: Run): Promise<void> {
    const submitter = submitterOf(run);
    const recalledBySubmitter = pendingIfAny(run)?.actions.some(
      (action) => action.action === 'recall' && action.actor === submitter,
    );
    if (!submitter || recalledBySubmitter) return;
    const outcome = this.#outcome(run);
    const name = run.graph.name ?? run.graph.processId;
    const titles = {
      approved: { en: `Approved: ${name}`, 'zh-CN': `已通过：${name}` },
      rejected: { en: `Rejected: ${name}`, 'zh-CN': `已驳回：${name}` },
      recalled: { en: `Cancelled: ${name}`, 'zh-CN': `已取消：${name}` },
    };
    await this.flow.notify?.(tx, {
      recipients: [submitter],
      kind: outcome === 'recalled' ? 'approval-cancelled' : `approval-${outcome}`,
      title: titles[outcome],
      link: this.flow.link(run),
    });
  }
}
