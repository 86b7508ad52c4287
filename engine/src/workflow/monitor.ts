import type { Actor } from '../records/types.ts';
import type { HistoryEvent, InstanceView } from './queries.ts';

/** What the process monitor needs from the rest of the workspace to name people and records. */
export interface MonitorLabels {
  /** Display names of users by id (unknown ids are left out). */
  userNames(ids: string[]): Promise<Map<string, string>>;
  /** Titles of the records of `module` that `actor` may read, by id. */
  recordTitles(module: string, ids: string[], actor: Actor): Promise<Map<string, string>>;
}

/** Who started an instance and the title of its record, by name. */
export interface InstanceLabels {
  startedByName: string | null;
  /** Null when there is no record, the reader may not read it or it is gone. */
  recordTitle: string | null;
}

/** An instance in the monitor's list. */
export type MonitoredInstance = InstanceView & InstanceLabels;

export interface MonitoredHistoryEvent extends HistoryEvent {
  actorName: string | null;
}

const present = (id: string | null): id is string => id !== null;

/** A record an entry is about, by module name and id (either null: none). */
interface RecordRef {
  module: string | null;
  recordId: string | null;
}

/**
 * The titles of the records `refs` name that `actor` may read, by module then id (one query per
 * module, not one per entry).
 */
export async function recordTitlesByModule(
  refs: RecordRef[],
  recordTitles: MonitorLabels['recordTitles'],
  actor: Actor,
): Promise<Map<string, Map<string, string>>> {
  const byModule = new Map<string, Set<string>>();
  for (const { module, recordId } of refs) {
    if (!module || !recordId) continue;
    byModule.set(module, (byModule.get(module) ?? new Set()).add(recordId));
  }
  return new Map(
    await Promise.all(
      [...byModule].map(
        async ([module, ids]) => [module, await recordTitles(module, [...ids], actor)] as const,
      ),
    ),
  );
}

/** The title `titles` holds for the record `ref` names; null when none. */
export function titleOf(
  titles: Map<string, Map<string, string>>,
  { module, recordId }: RecordRef,
): string | null {
  return (module && recordId && titles.get(module)?.get(recordId)) || null;
}

/** The instances with their starters' names and their records' titles (one query per module). */
export async function labelInstances<T extends InstanceView>(
  instances: T[],
  labels: MonitorLabels,
  actor: Actor,
): Promise<(T & InstanceLabels)[]> {
  const refOf = (instance: T): RecordRef => ({ module: instance.module, recordId: instance.record_id });
  const [names, titles] = await Promise.all([
    labels.userNames([...new Set(instances.map((instance) => instance.started_by).filter(present))]),
    recordTitlesByModule(instances.map(refOf), labels.recordTitles, actor),
  ]);
  return instances.map((instance) => ({
    ...instance,
    startedByName: (instance.started_by && names.get(instance.started_by)) || null,
    recordTitle: titleOf(titles, refOf(instance)),
  }));
}

/** History entries with their actors' names. */
export async function labelHistory(
  events: HistoryEvent[],
  labels: MonitorLabels,
): Promise<MonitoredHistoryEvent[]> {
  const names = await labels.userNames([...new Set(events.map((event) => event.actor).filter(present))]);
  return events.map((event) => ({ ...event, actorName: (event.actor && names.get(event.actor)) || null }));
}
