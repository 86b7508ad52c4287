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

/** The instances with their starters' names and their records' titles (one query per module). */
export async function labelInstances<T extends InstanceView>(
  instances: T[],
  labels: MonitorLabels,
  actor: Actor,
): Promise<(T & InstanceLabels)[]> {
  const byModule = new Map<string, Set<string>>();
  for (const instance of instances) {
    if (!instance.module || !instance.record_id) continue;
    byModule.set(instance.module, (byModule.get(instance.module) ?? new Set()).add(instance.record_id));
  }
  const [names, titles] = await Promise.all([
    labels.userNames([...new Set(instances.map((instance) => instance.started_by).filter(present))]),
    Promise.all(
      [...byModule].map(
        async ([module, ids]) => [module, await labels.recordTitles(module, [...ids], actor)] as const,
      ),
    ),
  ]);
  const titlesByModule = new Map(titles);
  return instances.map((instance) => ({
    ...instance,
    startedByName: (instance.started_by && names.get(instance.started_by)) || null,
    recordTitle:
      (instance.module &&
        instance.record_id &&
        titlesByModule.get(instance.module)?.get(instance.record_id)) ||
      null,
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
