import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { processTimeZone } from '../autonumber/backfill.ts';
import type { ModuleDefinition } from '../definitions/types.ts';
import { EngineError, localizedError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Clock } from '../identity/clock.ts';
import { isUuid } from '../identity/inputs.ts';
import { type OutboundHttp, outboundHttp } from '../net/request.ts';
import type { Actor } from '../records/types.ts';
import type { Db } from '../storage/db.ts';
import { actionSettingProblems } from './action-settings.ts';
import { type ActionContext, ActionRegistry, BpmnError, type WorkflowAction } from './actions.ts';
import { compileDefinitions } from './compile.ts';
import type { Variables } from './expression.ts';
import type { FlowNode, ProcessGraph } from './model.ts';
import { parseBpmn } from './parse.ts';
import { invalidDiagram, type WorkflowProblem } from './problems.ts';
import { type StuckReport, WorkflowQueries } from './queries.ts';
import { recordBindingProblems, type WorkflowRecordAccess } from './record-binding.ts';
import type { InstanceRow, JobRow, TaskRow } from './rows.ts';
import { type CandidateRequest, type CandidateResolution, Run, type RunServices, type Token } from './run.ts';
import {
  JOB_COLUMNS,
  loadInstance,
  normalizeJob,
  normalizeTask,
  TASK_COLUMNS,
  WorkflowTables,
  writeChanges,
} from './store.ts';
import { firstDue, nextCycleDue } from './timers.ts';
import { announceDeploy, TriggerCatalog, WORKFLOW_CHANNEL } from './triggers/catalog.ts';
import { RecordTriggers } from './triggers/record-triggers.ts';

export type CandidateResolver = (request: CandidateRequest) => CandidateResolution;

export interface WorkflowOptions {
  /** The engine's clock: timers fall due by it, so tests step through time without waiting. */
  clock?: Clock;
  /** Attempts of a service task's job when its definition sets none (default 3). */
  jobRetries?: number;
  /** Wait before the next attempt after `attempt` failed ones (default 10 s doubling, at most 1 h). */
  backoff?: (attempt: number) => number;
  /** How long a claimed job is reserved for its runner before another may take it (default 5 min). */
  leaseMs?: number;
  /** Names this server's job runner in `locked_by`. */
  workerId?: string;
  /** Turns a user task's assignee/candidate settings into users and groups; approvals plug in here. */
  resolveCandidates?: CandidateResolver;
  /** The IANA time zone cron schedules are read in (default: the process's, which CRM_TIMEZONE sets). */
  timeZone?: string;
  /** Published modules and record values, for processes about records (`crm:record`). */
  records?: WorkflowRecordAccess;
  /** The outbound HTTP service tasks call through (default: public addresses only). */
  http?: OutboundHttp;
}

/** What the approvals service adds to runs: approval tasks, their timeouts, bookkeeping after each write. */
export interface WorkflowExtension {
  enterApproval(run: Run, token: Token, node: FlowNode): Promise<void>;
  /** A due timer job that carries `payload.approvalTimeout`. */
  approvalTimeout(run: Run, tx: Db, token: Token, job: JobRow): Promise<void>;
  /** Whether runs of `graph` need `afterRun` (starts then take a transaction). */
  concerns(graph: ProcessGraph): boolean;
  /** After a run's rows are written, in the same transaction. */
  afterRun(tx: Db, run: Run): Promise<void>;
}

export interface DeployedProcess {
  processId: string;
  version: number;
  name: string | null;
  /** True when the XML equals the latest version's, which is then returned instead of a new version. */
  duplicate: boolean;
}

export interface DiagramLint {
  processes: { processId: string; name: string | null }[];
  problems: WorkflowProblem[];
}

export interface StartOptions {
  variables?: unknown;
  /** Default: the record's id when started for a record. */
  businessKey?: string | null;
  /** A specific version (default: the latest). */
  version?: number;
  /**
   * The record the instance is about (the process's `crm:record` module). The actor must be able to
   * read it; `values` (trusted engine callers that hold the record already) skips reading it again.
   */
  record?: { module: string; id: string; values?: Record<string, unknown> };
  /** Start inside the caller's transaction (a record write that triggers the flow). */
  db?: Db;
  /** Start at this start event with a `crm:trigger` (default: the none start event, or the `api` one). */
  startEvent?: string;
  /** The trigger's condition failed: the instance waits at its start event with this incident. */
  startIncident?: string;
}

interface InstanceLinks {
  businessKey?: string | null;
  module?: string | null;
  recordId?: string | null;
  instanceId?: string;
  parentInstanceId?: string;
  parentTokenId?: string;
  /** An incident the start token waits with instead of running on. */
  startIncident?: string;
}

export interface DueWorkResult {
  /** Jobs (timers, service tasks, call completions) handled. */
  handled: number;
  failed: number;
}

/** 10 s doubling, at most 1 h: the wait after `attempt` failed attempts of a job (webhook deliveries too). */
export const DEFAULT_BACKOFF = (attempt: number) =>
  Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempt - 1));

/** Assignee and candidates as given: text or lists of text (FEEL `=["a", "b"]` or "a, b"). */
export const defaultCandidates: CandidateResolver = (request) => ({
  assignee: request.assignee === null || request.assignee === '' ? null : String(request.assignee),
  candidateUsers: textList(request.candidateUsers),
  candidateGroups: textList(request.candidateGroups),
});

function textList(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(String);
  return String(value)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const conflict = (en: string, zh: string) => localizedError('conflict', '', 'conflict', { en, 'zh-CN': zh });

function plainVariables(value: unknown, pointer = '/variables'): Variables {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw localizedError('invalid-input', pointer, 'type', {
      en: 'variables must be an object',
      'zh-CN': '变量必须是一个对象',
    });
  }
  return JSON.parse(JSON.stringify(value)) as Variables;
}

/**
 * Runs BPMN processes durably: deploy versions, start instances, complete tasks, correlate messages,
 * fire due timers and jobs, cancel, retry incidents. Each command is one transaction that locks the
 * instance row first, so commands on one instance serialize and any number of servers may run them.
 */
export class WorkflowService {
  readonly actions = new ActionRegistry();
  readonly tables: WorkflowTables;
  /** Instances, tasks, history, incidents. */
  readonly queries: WorkflowQueries;
  readonly #graphs = new Map<string, Promise<ProcessGraph>>();
  readonly #clock: Clock;
  readonly #retries: number;
  readonly #backoff: (attempt: number) => number;
  readonly #leaseMs: number;
  readonly #workerId: string;
  readonly timeZone: string;
  #resolveCandidates: CandidateResolver;
  #extension: WorkflowExtension | undefined;
  readonly #records: WorkflowRecordAccess | undefined;
  readonly #http: OutboundHttp;
  readonly #triggerCatalog: TriggerCatalog;
  /** Record triggers (an observer of the record service) and the manual actions on records. */
  readonly triggers: RecordTriggers;

  constructor(
    private readonly db: Db,
    readonly schema: string,
    options: WorkflowOptions = {},
  ) {
    this.tables = new WorkflowTables(schema);
    this.queries = new WorkflowQueries(db, this.tables, async (processId, version, elementId) => {
      const graph = await this.graph(processId, version);
      return graph.nodes.get(elementId)?.name ?? null;
    });
    this.#clock = options.clock ?? (() => new Date());
    this.#retries = options.jobRetries ?? 3;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#leaseMs = options.leaseMs ?? 300_000;
    this.#workerId = options.workerId ?? `worker-${uuidv7()}`;
    this.#resolveCandidates = options.resolveCandidates ?? defaultCandidates;
    this.timeZone = options.timeZone ?? processTimeZone();
    this.#records = options.records;
    this.#http = options.http ?? outboundHttp();
    this.#triggerCatalog = new TriggerCatalog((db) => this.#latestGraphs(db));
    this.triggers = new RecordTriggers({
      catalog: this.#triggerCatalog,
      db,
      start: (processId, startOptions, actor) => this.start(processId, startOptions, actor),
      readRecord: async (module, id, actor) => {
        if (!this.#records) throw notFound(`${module} record '${id}'`);
        return this.#records.read(module, id, actor);
      },
      runningFor: async (module, recordId, db) => {
        if (!isUuid(recordId)) return new Set();
        const rows = await db.query<{ process_id: string }>(
          sql`SELECT DISTINCT process_id FROM ${this.tables.instances}
            WHERE record_id = ${recordId} AND module = ${module} AND state = 'active'`,
        );
        return new Set(rows.map((row) => row.process_id));
      },
      lockStart: async (tx, processId, recordId) => {
        await tx.run(
          sql`SELECT pg_advisory_xact_lock(727005, hashtext(${`${this.schema}/${processId}/${recordId}`}))`,
        );
      },
    });
  }

  /** Drops cached triggers whenever any server deploys in this workspace; returns the unsubscribe. */
  follow(): Promise<() => Promise<void>> {
    return this.db.listen(WORKFLOW_CHANNEL, (schema) => {
      if (schema === this.schema) this.#triggerCatalog.invalidate();
    });
  }

  /** The latest version of every deployed process, compiled. */
  async #latestGraphs(db: Db): Promise<ProcessGraph[]> {
    const rows = await db.query<{ process_id: string; version: number }>(
      sql`SELECT process_id, max(version) AS version FROM ${this.tables.definitions} GROUP BY process_id`,
    );
    return Promise.all(rows.map((row) => this.graph(row.process_id, Number(row.version), db)));
  }

  /** Replaces how user task candidates are resolved (approvals install theirs). */
  setCandidateResolver(resolver: CandidateResolver): void {
    this.#resolveCandidates = resolver;
  }

  /** Installs approvals (one extension per service). */
  extend(extension: WorkflowExtension): void {
    this.#extension = extension;
  }

  registerAction(action: WorkflowAction): void {
    this.actions.register(action);
  }

  // Definitions ///////////////////////////////////////////////////////////////////////////////////

  /**
   * The checks of a deploy without deploying: every problem by the id of its element (empty when the
   * diagram would deploy), and the executable processes it holds.
   */
  async lint(xml: unknown): Promise<DiagramLint> {
    if (typeof xml !== 'string' || xml.trim() === '') {
      throw localizedError('invalid-input', '', 'required', {
        en: 'the body must be BPMN 2.0 XML',
        'zh-CN': '请求体必须是 BPMN 2.0 XML',
      });
    }
    const parsed = await parseBpmn(xml);
    if (parsed.problems.length > 0) return { processes: [], problems: parsed.problems };
    const check = compileDefinitions(parsed.definitions, 0, { isKnownJobType: (t) => this.actions.has(t) });
    const problems = [...check.problems, ...(await this.#bindingProblems(check.processes, this.db))];
    return {
      processes: check.processes.map((p) => ({ processId: p.processId, name: p.name })),
      problems,
    };
  }

  /**
   * What the compile cannot see alone: the record bindings against the published modules and the
   * service tasks' settings against their actions (through `db`; `modulesAfter` as in deploy).
   */
  async #bindingProblems(
    processes: ProcessGraph[],
    db: Db,
    modulesAfter?: ReadonlyMap<string, ModuleDefinition>,
  ): Promise<WorkflowProblem[]> {
    const records = this.#records;
    const module = async (name: string) =>
      modulesAfter?.get(name) ?? (records ? await records.publishedModule(name, db) : null);
    return [
      ...(records ? await recordBindingProblems(processes, records, db, modulesAfter) : []),
      ...(await actionSettingProblems(processes, this.actions, module)),
    ];
  }

  /**
   * Checks and stores BPMN XML: each executable process in it becomes a new immutable version (the
   * same XML as the latest version deploys nothing new). Refused as a whole when anything is invalid.
   * Inside a caller's transaction `db` (a package import), it commits or rolls back with it;
   * `modulesAfter` (by name) are the modules that import will have published, which a preview has not.
   */
  async deploy(
    xml: unknown,
    actor: Actor,
    db: Db = this.db,
    modulesAfter?: ReadonlyMap<string, ModuleDefinition>,
  ): Promise<DeployedProcess[]> {
    if (typeof xml !== 'string' || xml.trim() === '') {
      throw localizedError('invalid-input', '', 'required', {
        en: 'the body must be BPMN 2.0 XML',
        'zh-CN': '请求体必须是 BPMN 2.0 XML',
      });
    }
    const parsed = await parseBpmn(xml);
    if (parsed.problems.length > 0) throw invalidDiagram(parsed.problems);
    const check = compileDefinitions(parsed.definitions, 0, {
      isKnownJobType: (t) => this.actions.has(t),
    });
    if (check.problems.length > 0) throw invalidDiagram(check.problems);
    const T = this.tables;
    const now = this.#clock().toISOString();
    const deployed = await db.transaction(async (tx) => {
      const problems = await this.#bindingProblems(check.processes, tx, modulesAfter);
      if (problems.length > 0) throw invalidDiagram(problems);
      const results: DeployedProcess[] = [];
      for (const process of check.processes) {
        await tx.run(
          sql`SELECT pg_advisory_xact_lock(727004, hashtext(${`${this.schema}/${process.processId}`}))`,
        );
        const [latest] = await tx.query<{ version: number; xml: string }>(
          sql`SELECT version, xml FROM ${T.definitions} WHERE process_id = ${process.processId}
            ORDER BY version DESC LIMIT 1`,
        );
        if (latest && latest.xml === xml) {
          results.push({
            processId: process.processId,
            version: Number(latest.version),
            name: process.name,
            duplicate: true,
          });
          continue;
        }
        const version = latest ? Number(latest.version) + 1 : 1;
        await tx.run(
          sql`INSERT INTO ${T.definitions} (process_id, version, name, xml, deployed_at, deployed_by)
            VALUES (${process.processId}, ${version}, ${process.name}, ${xml}, ${now}, ${actor.userId})`,
        );
        await this.#replaceEventStarts(tx, { ...process, version }, now);
        results.push({ processId: process.processId, version, name: process.name, duplicate: false });
      }
      if (results.some((result) => !result.duplicate)) await announceDeploy(tx, this.schema);
      this.#triggerCatalog.invalidate();
      return results;
    });
    // again once committed: a write between the first drop and the commit may have cached the old triggers
    this.#triggerCatalog.invalidate();
    return deployed;
  }

  /** Timer and message start events follow the latest version: the previous version's are dropped. */
  async #replaceEventStarts(tx: Db, graph: ProcessGraph, now: string): Promise<void> {
    const T = this.tables;
    await tx.run(sql`DELETE FROM ${T.jobs} WHERE kind = 'start-timer' AND process_id = ${graph.processId}`);
    await tx.run(
      sql`DELETE FROM ${T.subscriptions} WHERE instance_id IS NULL AND process_id = ${graph.processId}`,
    );
    for (const start of graph.eventStarts) {
      if (start.timer) {
        const value = String(start.timer.value.evaluate({}) ?? '');
        const due = firstDue(start.timer.kind, value, new Date(now), this.timeZone);
        if (!due) continue;
        await tx.run(
          sql`INSERT INTO ${T.jobs} (${JOB_COLUMNS}) VALUES (${uuidv7()}, NULL, NULL, ${start.id},
            ${graph.processId}, ${graph.version}, 'start-timer', ${due.toISOString()}, 0, ${this.#retries},
            NULL, NULL, NULL, ${JSON.stringify({ timer: value, kind: start.timer.kind, fired: 0 })}::jsonb, ${now})`,
        );
      } else if (start.message) {
        const name = String(start.message.name.evaluate({}) ?? '');
        await tx.run(
          sql`INSERT INTO ${T.subscriptions} (id, instance_id, token_id, element_id, process_id, version,
            message_name, correlation_key, created_at)
            VALUES (${uuidv7()}, NULL, NULL, ${start.id}, ${graph.processId}, ${graph.version}, ${name}, NULL, ${now})`,
        );
      }
    }
  }

  async latestVersion(processId: string, db: Db = this.db): Promise<number> {
    const [row] = await db.query<{ version: number | null }>(
      sql`SELECT max(version) AS version FROM ${this.tables.definitions} WHERE process_id = ${processId}`,
    );
    const version = row?.version === null || row?.version === undefined ? 0 : Number(row.version);
    if (version === 0) {
      throw localizedError('not-found', '', 'not-found', {
        en: `process '${processId}' is not deployed`,
        'zh-CN': `流程 '${processId}' 尚未部署`,
      });
    }
    return version;
  }

  /** The compiled graph of one version, compiled once and cached. */
  /**
   * The compiled graph of a version, cached. Read through a caller's transaction `db` it is not
   * cached: that transaction may have deployed the version and may still roll back.
   */
  graph(processId: string, version: number, db: Db = this.db): Promise<ProcessGraph> {
    const key = `${processId}@${version}`;
    let graph = this.#graphs.get(key);
    if (!graph && db !== this.db) return this.#loadGraph(processId, version, db);
    if (!graph) {
      graph = this.#loadGraph(processId, version);
      this.#graphs.set(key, graph);
      graph.catch(() => this.#graphs.delete(key));
    }
    return graph;
  }

  async #loadGraph(processId: string, version: number, db: Db = this.db): Promise<ProcessGraph> {
    const [row] = await db.query<{ xml: string }>(
      sql`SELECT xml FROM ${this.tables.definitions} WHERE process_id = ${processId} AND version = ${version}`,
    );
    if (!row) throw notFound(`process '${processId}' version ${version}`);
    const parsed = await parseBpmn(row.xml);
    // a stored version was valid when deployed; lint changes never take running versions away
    const compiled = compileDefinitions(parsed.definitions, version, { isKnownJobType: () => true });
    const graph = compiled.processes.find((process) => process.processId === processId);
    if (!graph) throw invalidDiagram(compiled.problems);
    return graph;
  }

  async definitions(): Promise<
    { processId: string; name: string | null; latestVersion: number; deployedAt: string }[]
  > {
    const rows = await this.db.query<{
      process_id: string;
      name: string | null;
      version: number;
      deployed_at: unknown;
    }>(
      sql`SELECT DISTINCT ON (process_id) process_id, name, version, deployed_at FROM ${this.tables.definitions}
        ORDER BY process_id, version DESC`,
    );
    return rows.map((row) => ({
      processId: row.process_id,
      name: row.name,
      latestVersion: Number(row.version),
      deployedAt: isoText(row.deployed_at),
    }));
  }

  async versions(processId: string): Promise<ProcessVersion[]> {
    const rows = await this.db.query<VersionRow>(
      sql`SELECT version, name, deployed_at, deployed_by, xml FROM ${this.tables.definitions}
        WHERE process_id = ${processId} ORDER BY version`,
    );
    if (rows.length === 0) throw notFound(`process '${processId}'`);
    return rows.map(versionOf);
  }

  /** One version of a process with its XML (an instance's diagram is its own version's). */
  async version(processId: string, version: number): Promise<ProcessVersion> {
    const [row] = await this.db.query<VersionRow>(
      sql`SELECT version, name, deployed_at, deployed_by, xml FROM ${this.tables.definitions}
        WHERE process_id = ${processId} AND version = ${version}`,
    );
    if (!row) throw notFound(`process '${processId}' version ${version}`);
    return versionOf(row);
  }

  // Commands //////////////////////////////////////////////////////////////////////////////////////

  #services(actor: string | null, db: Db = this.db): RunServices {
    const extension = this.#extension;
    return {
      now: this.#clock(),
      actor,
      resolveCandidates: (request) => this.#resolveCandidates(request),
      inlineAction: (type) => this.actions.get(type)?.inline,
      jobRetries: this.#retries,
      db,
      enterApproval: extension && ((run, token, node) => extension.enterApproval(run, token, node)),
      timeZone: this.timeZone,
    };
  }

  /** Writes runs' rows, then what they and the extension write besides, all in `tx`. */
  async #write(tx: Db, runs: Run[], now: string): Promise<void> {
    for (const each of runs) await writeChanges(tx, this.tables, each.finish(), now);
    for (const each of runs) {
      for (const write of each.changes.afterWrites) await write(tx);
      if (this.#extension?.concerns(each.graph)) await this.#extension.afterRun(tx, each);
    }
  }

  /** Starts an instance of the latest (or the given) version; it runs until every token waits. */
  async start(processId: string, options: StartOptions, actor: Actor): Promise<InstanceRow> {
    const variables = plainVariables(options.variables);
    const version = options.version ?? (await this.latestVersion(processId, options.db));
    const graph = await this.graph(processId, version, options.db);
    const startId = options.startEvent ?? graph.startId;
    if (!startId || (options.startEvent && !graph.triggerStarts.some((node) => node.id === startId))) {
      throw localizedError('invalid-input', '', 'no-none-start', {
        en: `process '${processId}' starts only by its timer, message or record triggers`,
        'zh-CN': `流程 '${processId}' 只能由其定时器、消息或记录触发器启动`,
      });
    }
    const bound = options.record ? await this.#bindRecord(graph, options.record, variables, actor) : null;
    return this.#startAt(
      graph,
      startId,
      bound?.variables ?? variables,
      actor.userId,
      {
        businessKey: options.businessKey ?? bound?.recordId ?? null,
        module: bound?.module ?? null,
        recordId: bound?.recordId ?? null,
        startIncident: options.startIncident,
      },
      options.db,
    );
  }

  /** The start variables of an instance about a record (`crm:record`). */
  async #bindRecord(
    graph: ProcessGraph,
    target: NonNullable<StartOptions['record']>,
    variables: Variables,
    actor: Actor,
  ): Promise<{ module: string; recordId: string; variables: Variables }> {
    const { module, id } = target;
    if (graph.record?.module !== module) {
      throw localizedError('invalid-input', '/record/module', 'record-module-mismatch', {
        en: `process '${graph.processId}' is not about records of '${module}'`,
        'zh-CN': `流程 '${graph.processId}' 不处理模块 '${module}' 的记录`,
      });
    }
    const record = target.values ?? (await this.#records?.read(module, id, actor)) ?? {};
    // the binding's variables come last: a caller's variables cannot pose as the record
    return {
      module,
      recordId: id,
      variables: { ...variables, record: { ...record, id }, recordId: id, module, submitter: actor.userId },
    };
  }

  /** A new instance run (and the runs of the processes it calls at once), not yet written. */
  async #startRuns(
    graph: ProcessGraph,
    startId: string,
    variables: Variables,
    services: RunServices,
    links: InstanceLinks,
    /** Where called processes' versions are read: the command's transaction (PGlite has one connection). */
    db: Db,
  ): Promise<Run[]> {
    const instance: InstanceRow = {
      id: links.instanceId ?? uuidv7(),
      process_id: graph.processId,
      version: graph.version,
      state: 'active',
      variables,
      business_key: links.businessKey ?? null,
      module: links.module ?? null,
      record_id: links.recordId ?? null,
      parent_instance_id: links.parentInstanceId ?? null,
      parent_token_id: links.parentTokenId ?? null,
      started_at: services.now.toISOString(),
      started_by: services.actor,
      ended_at: null,
    };
    const run = new Run(graph, instance, [], services, true);
    run.record('instance-started', null, { processId: graph.processId, version: graph.version });
    const token = run.newToken(null, startId);
    if (links.startIncident) run.incident(token, 'trigger-condition', links.startIncident);
    else run.arrive(token, startId);
    await run.drain();
    return [run, ...(await this.#childRuns(run, services, db))];
  }

  async #childRuns(run: Run, services: RunServices, db: Db): Promise<Run[]> {
    const runs: Run[] = [];
    // a multi-instance call activity calls one process many times: look its latest version up once
    const latest = new Map<string, number>();
    for (const child of run.children.splice(0)) {
      const version = latest.get(child.processId) ?? (await this.latestVersion(child.processId, db));
      latest.set(child.processId, version);
      const graph = await this.graph(child.processId, version, db);
      if (!graph.startId) throw new Error(`process '${child.processId}' has no none start event`);
      runs.push(
        ...(await this.#startRuns(
          graph,
          graph.startId,
          child.variables,
          services,
          {
            instanceId: child.instanceId,
            parentInstanceId: run.instance.id,
            parentTokenId: child.parentTokenId,
          },
          db,
        )),
      );
    }
    return runs;
  }

  /**
   * One command on an existing instance: lock it, let `work` move its tokens, run until every token
   * waits, write the changes; called processes start and cancelled ones end in the same transaction.
   */
  async #command<T>(
    instanceId: string,
    actor: string | null,
    work: (run: Run, tx: Db) => Promise<T> | T,
    db: Db = this.db,
  ): Promise<T> {
    return db.transaction(async (tx) => {
      const loaded = await loadInstance(tx, this.tables, instanceId, true);
      if (!loaded) throw notFound(`workflow instance '${instanceId}'`);
      const graph = await this.graph(loaded.instance.process_id, loaded.instance.version);
      const services = this.#services(actor, tx);
      const run = new Run(graph, loaded.instance, loaded.tokens, services, false);
      const result = await work(run, tx);
      await run.drain();
      const children = await this.#childRuns(run, services, tx);
      await this.#write(tx, [run, ...children], services.now.toISOString());
      for (const cancelled of run.cancelledChildren) {
        await this.#command(
          cancelled,
          actor,
          async (child, childTx) => {
            if (child.instance.state !== 'active') return;
            child.finishInstance('cancelled');
            await this.#closeIncidents(childTx, child);
          },
          tx,
        );
      }
      return result;
    });
  }

  /**
   * One command on an instance for the approvals service: `work` runs under the instance's row lock
   * in the command's transaction, then the run goes on until every token waits and all is written.
   */
  command<T>(
    instanceId: string,
    actor: string | null,
    work: (run: Run, tx: Db) => Promise<T> | T,
  ): Promise<T> {
    return this.#command(instanceId, actor, work);
  }

  /** Completes an open user task with `variables`, as `actor` (the assignee, a candidate, or an admin). */
  async completeTask(
    taskId: string,
    variables: unknown,
    actor: Actor,
    options: { asAdmin?: boolean; groups?: string[] } = {},
  ): Promise<TaskRow> {
    const result = plainVariables(variables);
    const task = await this.task(taskId);
    if (!options.asAdmin && !isCandidate(task, actor.userId, options.groups ?? [])) {
      throw localizedError('forbidden', '', 'not-your-task', {
        en: 'this task is not assigned to you',
        'zh-CN': '该任务未分配给您',
      });
    }
    return this.#command(task.instance_id, actor.userId, async (run, tx) => {
      const current = await this.task(taskId, tx);
      const token = run.tokens.get(current.token_id);
      if (current.state !== 'open' || !token) {
        throw conflict(
          `the task is already ${current.state}`,
          `该任务已${current.state === 'completed' ? '完成' : '取消'}`,
        );
      }
      if (run.node(current.element_id).approval) {
        throw conflict(
          'an approval task is decided through the approval actions (approve, reject …)',
          '审批任务须通过审批操作（同意、驳回等）处理',
        );
      }
      run.changes.taskComplete = { id: taskId, by: actor.userId, result };
      run.record('task-completed', current.element_id, { taskId });
      run.leave(token, result);
      return {
        ...current,
        state: 'completed' as const,
        result,
        completed_by: actor.userId,
        completed_at: run.now,
      };
    });
  }

  async task(taskId: string, db: Db = this.db): Promise<TaskRow> {
    const [row] = await db.query<TaskRow>(
      sql`SELECT ${TASK_COLUMNS} FROM ${this.tables.tasks} WHERE id = ${isUuid(taskId) ? taskId : null}`,
    );
    if (!row) throw notFound(`task '${taskId}'`);
    return normalizeTask(row);
  }

  /**
   * Delivers a message to every instance waiting for `name` with `correlationKey`, and starts the
   * processes whose message start event has that name.
   */
  async correlateMessage(
    name: string,
    correlationKey: string | null,
    variables: unknown,
    actor: Actor,
  ): Promise<{ correlated: string[]; started: string[] }> {
    if (typeof name !== 'string' || name === '') {
      throw localizedError('invalid-input', '/name', 'required', {
        en: 'the message needs a name',
        'zh-CN': '消息需要名称',
      });
    }
    const values = plainVariables(variables);
    const T = this.tables;
    const waiting = await this.db.query<{
      id: string;
      instance_id: string | null;
      process_id: string;
      version: number;
      element_id: string;
    }>(
      sql`SELECT id, instance_id, process_id, version, element_id FROM ${T.subscriptions}
        WHERE message_name = ${name}
          AND (instance_id IS NULL OR correlation_key IS NOT DISTINCT FROM ${correlationKey})
        ORDER BY created_at, id`,
    );
    const correlated: string[] = [];
    const started: string[] = [];
    const seen = new Set<string>();
    for (const subscription of waiting) {
      if (subscription.instance_id === null) {
        const graph = await this.graph(subscription.process_id, Number(subscription.version));
        const instance = await this.#startAt(graph, subscription.element_id, values, actor.userId, {
          businessKey: correlationKey,
        });
        started.push(instance.id);
        continue;
      }
      if (seen.has(subscription.instance_id)) continue;
      const delivered = await this.#command(subscription.instance_id, actor.userId, async (run, tx) => {
        const [still] = await tx.query<{ token_id: string; element_id: string }>(
          sql`SELECT token_id, element_id FROM ${T.subscriptions} WHERE id = ${subscription.id}`,
        );
        const token = still ? run.tokens.get(still.token_id) : undefined;
        if (!still || !token) return false;
        run.changes.subscriptionDeleteIds.push(subscription.id);
        run.record('message-correlated', still.element_id, { name, correlationKey }, actor.userId);
        this.#continueAt(run, token, run.node(still.element_id), values);
        return true;
      });
      if (delivered) {
        seen.add(subscription.instance_id);
        correlated.push(subscription.instance_id);
      }
    }
    return { correlated, started };
  }

  /** A token's wait at `node` ended (a message or timer): a catch event directly, or via an event gateway. */
  #continueAt(run: Run, token: Token, node: FlowNode, result: Variables | null): void {
    if (token.elementId !== node.id) {
      // an event-based gateway: the first event wins, the others' waits go
      run.clearWaits(token);
      run.record('element-completed', token.elementId);
      token.elementId = node.id;
      run.record('element-activated', node.id);
    }
    run.leave(token, result);
  }

  async #startAt(
    graph: ProcessGraph,
    startId: string,
    variables: Variables,
    actor: string | null,
    links: InstanceLinks,
    db: Db = this.db,
  ): Promise<InstanceRow> {
    const services = this.#services(actor, db);
    const runs = await this.#startRuns(graph, startId, variables, services, links, db);
    const now = services.now.toISOString();
    const [run, ...children] = runs as [Run, ...Run[]];
    const extended = this.#extension?.concerns(graph) || run.changes.afterWrites.length > 0;
    if (children.length === 0 && !extended) {
      // one statement, atomic on its own: no transaction needed
      await writeChanges(db, this.tables, run.finish(), now);
    } else {
      await db.transaction((tx) => this.#write(tx, runs, now));
    }
    return run.instance;
  }

  /**
   * Cancels an active instance: its tasks are cancelled, its timers and jobs dropped, called instances
   * cancelled. A `reason` is kept in the history.
   */
  async cancel(instanceId: string, actor: Actor, reason: string | null = null): Promise<InstanceRow> {
    const note = reason === null || reason.trim() === '' ? null : { reason: reason.trim() };
    return this.#command(instanceId, actor.userId, async (run, tx) => {
      if (run.instance.state !== 'active') {
        throw conflict(
          `the instance is already ${run.instance.state}`,
          `该实例已结束（${run.instance.state}）`,
        );
      }
      run.finishInstance('cancelled', null, note);
      await this.#closeIncidents(tx, run);
      return run.instance;
    });
  }

  /** A cancelled instance's open incidents are settled with it: nothing is left to retry. */
  async #closeIncidents(tx: Db, run: Run): Promise<void> {
    await tx.run(
      sql`UPDATE ${this.tables.incidents} SET resolved_at = ${run.now}, resolved_by = ${run.services.actor}
        WHERE instance_id = ${run.instance.id} AND resolved_at IS NULL`,
    );
  }

  /** Retries the element an incident stopped at (a failed job gets its retries back). */
  async retryIncident(incidentId: string, actor: Actor): Promise<void> {
    const T = this.tables;
    const [incident] = await this.db.query<{ instance_id: string }>(
      sql`SELECT instance_id FROM ${T.incidents} WHERE id = ${isUuid(incidentId) ? incidentId : null}`,
    );
    if (!incident) throw notFound(`incident '${incidentId}'`);
    await this.#command(incident.instance_id, actor.userId, async (run, tx) => {
      const [current] = await tx.query<{
        token_id: string | null;
        job_id: string | null;
        resolved_at: unknown;
      }>(sql`SELECT token_id, job_id, resolved_at FROM ${T.incidents} WHERE id = ${incidentId}`);
      if (!current || current.resolved_at !== null) {
        throw conflict('the incident is already resolved', '该故障已处理');
      }
      await tx.run(
        sql`UPDATE ${T.incidents} SET resolved_at = ${run.now}, resolved_by = ${actor.userId} WHERE id = ${incidentId}`,
      );
      const token = current.token_id ? run.tokens.get(current.token_id) : undefined;
      if (!token) return;
      run.record('incident-resolved', token.elementId, { incidentId }, actor.userId);
      if (current.job_id) {
        await tx.run(
          sql`UPDATE ${T.jobs} SET attempts = 0, due_at = ${run.now}, locked_until = NULL, locked_by = NULL
            WHERE id = ${current.job_id}`,
        );
        run.wait(token, 'job');
      } else {
        run.arrive(token, token.elementId);
      }
    });
  }

  /** Stuck work as of the engine clock: orphan tokens, expired leases, overdue jobs, empty instances. */
  sweep(overdueMs?: number): Promise<StuckReport> {
    return this.queries.sweep(this.#clock(), overdueMs);
  }

  // Due work: timers and jobs //////////////////////////////////////////////////////////////////////

  /**
   * Claims due jobs (timers, service tasks, call completions) with SKIP LOCKED, so any number of
   * servers may run this, and handles each in its own transaction. Returns what was done.
   */
  async runDueWork(limit = 100): Promise<DueWorkResult> {
    const now = this.#clock();
    const T = this.tables;
    const leaseEnd = new Date(now.getTime() + this.#leaseMs).toISOString();
    const claimed = await this.db.query<JobRow>(
      sql`UPDATE ${T.jobs} SET locked_until = ${leaseEnd}, locked_by = ${this.#workerId}
        WHERE id IN (SELECT id FROM ${T.jobs}
          WHERE due_at <= ${now.toISOString()} AND (locked_until IS NULL OR locked_until < ${now.toISOString()})
          ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING ${JOB_COLUMNS}`,
    );
    const result: DueWorkResult = { handled: 0, failed: 0 };
    for (const raw of claimed.map(normalizeJob)) {
      const ok = await this.#handleJob(raw);
      if (ok) result.handled++;
      else result.failed++;
    }
    return result;
  }

  async #handleJob(job: JobRow): Promise<boolean> {
    switch (job.kind) {
      case 'service':
        return this.#runServiceJob(job);
      case 'start-timer':
        await this.#fireStartTimer(job);
        return true;
      default:
        await this.#command(job.instance_id as string, null, async (run, tx) => {
          if (!(await this.#stillMine(tx, job))) return;
          const token = job.token_id ? run.tokens.get(job.token_id) : undefined;
          if (!token) {
            run.changes.jobDeleteIds.push(job.id);
            return;
          }
          if (job.payload?.approvalTimeout && this.#extension) {
            run.changes.jobDeleteIds.push(job.id);
            await this.#extension.approvalTimeout(run, tx, token, job);
            return;
          }
          if (job.kind === 'call-done') {
            run.changes.jobDeleteIds.push(job.id);
            const node = run.node(token.elementId);
            const childInstanceId = job.payload?.childInstanceId ?? null;
            const error = job.payload?.error as { code: string; message: string } | null | undefined;
            if (error) {
              // the called process ended by an error it did not catch: the call activity's boundary may
              run.record('call-failed', node.id, { childInstanceId, errorCode: error.code });
              run.raiseError(token, error.code, error.message, true);
              return;
            }
            const childVariables = (job.payload?.variables ?? {}) as Variables;
            run.record('call-completed', node.id, { childInstanceId });
            run.leave(token, node.called?.propagateAllChildVariables === false ? null : childVariables);
            return;
          }
          this.#fireTimer(run, token, job);
        }).catch((error) => {
          if (error instanceof EngineError && error.kind === 'not-found') return;
          throw error;
        });
        return true;
    }
  }

  /** The job is still there and still claimed by this runner (read under the instance lock). */
  async #stillMine(tx: Db, job: JobRow): Promise<boolean> {
    const [row] = await tx.query<{ id: string }>(
      sql`SELECT id FROM ${this.tables.jobs} WHERE id = ${job.id} AND locked_by = ${this.#workerId} FOR UPDATE`,
    );
    return row !== undefined;
  }

  #fireTimer(run: Run, token: Token, job: JobRow): void {
    const node = run.node(job.element_id as string);
    run.record('timer-fired', node.id);
    if (node.type === 'boundaryEvent') {
      const payload = job.payload ?? {};
      const fired = Number(payload.fired ?? 0) + 1;
      const next =
        node.timer?.kind === 'cycle' && !node.cancelActivity
          ? nextCycleDue(String(payload.timer), run.services.now, fired, this.timeZone)
          : null;
      if (next) {
        run.changes.jobUpdates.push({
          ...job,
          due_at: next.toISOString(),
          locked_until: null,
          locked_by: null,
          payload: { ...payload, fired },
        });
      } else {
        run.changes.jobDeleteIds.push(job.id);
      }
      run.triggerBoundary(token, node, null);
      return;
    }
    run.changes.jobDeleteIds.push(job.id);
    this.#continueAt(run, token, node, null);
  }

  async #fireStartTimer(job: JobRow): Promise<void> {
    const graph = await this.graph(job.process_id, job.version);
    await this.db.transaction(async (tx) => {
      const services = this.#services(null, tx);
      if (!(await this.#stillMine(tx, job))) return;
      const runs = await this.#startRuns(graph, job.element_id as string, {}, services, {}, tx);
      const payload = job.payload ?? {};
      const fired = Number(payload.fired ?? 0) + 1;
      // which occurrence of the schedule started the instance (each starts exactly one)
      runs[0]?.record('timer-fired', job.element_id, { dueAt: job.due_at, occurrence: fired });
      const next =
        payload.kind === 'cycle'
          ? nextCycleDue(String(payload.timer), services.now, fired, this.timeZone)
          : null;
      if (next) {
        await tx.run(
          sql`UPDATE ${this.tables.jobs} SET due_at = ${next.toISOString()}, locked_until = NULL, locked_by = NULL,
            payload = ${JSON.stringify({ ...payload, fired })}::jsonb WHERE id = ${job.id}`,
        );
      } else {
        await tx.run(sql`DELETE FROM ${this.tables.jobs} WHERE id = ${job.id}`);
      }
      await this.#write(tx, runs, services.now.toISOString());
    });
  }

  /**
   * A service task's job: the action runs outside any transaction (it may call other systems), then
   * its result is applied under the instance lock. A crash in between runs it again later with the
   * same idempotency key: at least once.
   */
  async #runServiceJob(job: JobRow): Promise<boolean> {
    const type = String(job.payload?.type ?? '');
    const action = this.actions.get(type);
    const context = await this.#actionContext(job);
    if (!context) {
      await this.db.run(
        sql`DELETE FROM ${this.tables.jobs} WHERE id = ${job.id} AND locked_by = ${this.#workerId}`,
      );
      return true;
    }
    // a transactional action runs under the instance lock, in the transaction that completes the job
    let settle: (tx: Db) => Promise<ActionOutcome>;
    if (action?.transactional) {
      const transactional = action.transactional;
      settle = (tx) => savepointed(tx, () => transactional(tx, context));
    } else {
      const outcome = await attempt(() => {
        if (!action?.run) throw new Error(`no action is registered for the task type '${type}'`);
        return action.run(context);
      });
      settle = async () => outcome;
    }
    return this.#command(job.instance_id as string, null, async (run, tx) => {
      if (!(await this.#stillMine(tx, job))) return false;
      const token = job.token_id ? run.tokens.get(job.token_id) : undefined;
      if (!token) {
        run.changes.jobDeleteIds.push(job.id);
        return false;
      }
      const outcome = await settle(tx);
      if (outcome.ok) {
        run.changes.jobDeleteIds.push(job.id);
        run.record('job-completed', token.elementId, { jobId: job.id });
        run.leave(token, outcome.result ?? null);
        return true;
      }
      const error = outcome.error;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof BpmnError) {
        run.changes.jobDeleteIds.push(job.id);
        run.raiseError(token, error.code, message, true);
        return false;
      }
      const attempts = job.attempts + 1;
      run.record('job-failed', token.elementId, { jobId: job.id, attempt: attempts, error: message });
      if (attempts >= job.retries) {
        run.changes.jobUpdates.push({
          ...job,
          attempts,
          due_at: null,
          locked_until: null,
          locked_by: null,
          last_error: message,
        });
        run.incident(token, 'job-failed', `${type} failed after ${attempts} attempts: ${message}`, job.id);
        token.data.wait = 'job';
      } else {
        const due = new Date(run.services.now.getTime() + this.#backoff(attempts)).toISOString();
        run.changes.jobUpdates.push({
          ...job,
          attempts,
          due_at: due,
          locked_until: null,
          locked_by: null,
          last_error: message,
        });
      }
      return false;
    });
  }

  async #actionContext(job: JobRow): Promise<ActionContext | undefined> {
    const loaded = await loadInstance(this.db, this.tables, job.instance_id as string, false);
    if (loaded?.instance.state !== 'active') return undefined;
    const { instance, tokens } = loaded;
    const graph = await this.graph(instance.process_id, instance.version);
    const view = new Run(graph, instance, tokens, this.#services(null), false);
    const token = job.token_id ? view.tokens.get(job.token_id) : undefined;
    if (!token) return undefined;
    const node = graph.nodes.get(token.elementId);
    return {
      instanceId: instance.id,
      processId: instance.process_id,
      elementId: token.elementId,
      idempotencyKey: job.id,
      attempt: job.attempts + 1,
      input: { ...(token.variables ?? {}) },
      headers: node?.job?.headers ?? {},
      variables: view.variablesOf(token),
      now: this.#clock(),
      http: this.#http,
    };
  }
}

type ActionOutcome = { ok: true; result: Variables | undefined } | { ok: false; error: unknown };

/** A deployed version of a process, as the API shows it. */
export interface ProcessVersion {
  version: number;
  name: string | null;
  deployedAt: string;
  deployedBy: string | null;
  xml: string;
}

interface VersionRow {
  version: number;
  name: string | null;
  deployed_at: unknown;
  deployed_by: string | null;
  xml: string;
}

function versionOf(row: VersionRow): ProcessVersion {
  return {
    version: Number(row.version),
    name: row.name,
    deployedAt: isoText(row.deployed_at),
    deployedBy: row.deployed_by,
    xml: row.xml,
  };
}

async function attempt(work: () => Promise<Variables | undefined>): Promise<ActionOutcome> {
  try {
    return { ok: true, result: await work() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Runs `work` inside `tx` so that its writes are undone when it fails, and the failure is kept. */
async function savepointed(tx: Db, work: () => Promise<Variables | undefined>): Promise<ActionOutcome> {
  await tx.run(sql`SAVEPOINT wf_action`);
  const outcome = await attempt(work);
  await tx.run(outcome.ok ? sql`RELEASE SAVEPOINT wf_action` : sql`ROLLBACK TO SAVEPOINT wf_action`);
  return outcome;
}

function isCandidate(task: TaskRow, userId: string | null, groups: string[]): boolean {
  if (userId === null) return false;
  if (task.assignee !== null) return task.assignee === userId;
  return (
    task.candidate_users.includes(userId) || task.candidate_groups.some((group) => groups.includes(group))
  );
}

function isoText(value: unknown): string {
  return timestampToIso(value) as string;
}
