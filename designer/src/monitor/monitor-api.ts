import type {
  ElementActivity,
  IncidentView,
  InstanceDetail,
  InstanceLabels,
  InstanceRow,
  InstanceState,
  MonitoredHistoryEvent,
  MonitoredInstance,
  Schedule,
  StuckReport,
} from '@crm/engine/browser';
import { api } from '@crm/ui';

export type {
  ElementActivity,
  IncidentView,
  InstanceDetail,
  InstanceState,
  MonitoredHistoryEvent,
  MonitoredInstance,
  Schedule,
  StuckReport,
};

export const INSTANCE_STATES: InstanceState[] = ['active', 'completed', 'terminated', 'cancelled'];

/** The instance list's filters, as the API takes them. */
export interface InstanceFilter {
  processId?: string;
  state?: InstanceState;
  /** Only instances with open incidents. */
  incidents?: boolean;
  recordId?: string;
  startedFrom?: string;
  startedTo?: string;
  before?: string;
  limit?: number;
}

const base = '/api/workflows';
const encode = encodeURIComponent;

function queryString(filter: InstanceFilter): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const monitorApi = {
  instances: (filter: InstanceFilter) =>
    api.get<MonitoredInstance[]>(`${base}/instances${queryString(filter)}`),
  instance: (id: string) => api.get<InstanceDetail & InstanceLabels>(`${base}/instances/${encode(id)}`),
  history: (id: string) => api.get<MonitoredHistoryEvent[]>(`${base}/instances/${encode(id)}/history`),
  activity: (id: string) => api.get<ElementActivity[]>(`${base}/instances/${encode(id)}/activity`),
  version: (processId: string, version: number) =>
    api.get<{ version: number; name: string | null; xml: string }>(
      `${base}/definitions/${encode(processId)}/versions/${version}`,
    ),
  cancel: (id: string, reason: string) =>
    api.post<InstanceRow>(`${base}/instances/${encode(id)}/cancel`, { reason: reason || null }),
  incidents: () => api.get<IncidentView[]>(`${base}/incidents`),
  retry: (incidentId: string) => api.post<void>(`${base}/incidents/${encode(incidentId)}/retry`),
  stuck: () => api.get<StuckReport>(`${base}/stuck`),
  schedules: () => api.get<Schedule[]>(`${base}/schedules`),
};
