import type {
  ApprovalStatus,
  ApprovalSummary,
  FileReference,
  TimelineAction,
  TimelineEntry,
  TimelineStep,
  UserRef,
} from '@crm/engine/browser';
import { api, type LabelMap } from '@crm/ui';
import { queryOptions, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';

export type { ApprovalStatus, ApprovalSummary, TimelineAction, TimelineEntry, TimelineStep, UserRef };

export const INBOX_LISTS = ['pending', 'done', 'cc', 'submitted'] as const;
export type InboxList = (typeof INBOX_LISTS)[number];

export type TaskAction = 'approve' | 'reject' | 'return' | 'transfer' | 'add-signer' | 'cc' | 'resubmit';

/** One row of any inbox list: the fields of the list it came from are optional here. */
export interface InboxEntry extends ApprovalSummary {
  taskId?: string | null;
  stepName?: string | null;
  kind?: 'approval' | 'resubmit' | 'task';
  createdAt?: string;
  action?: string;
  comment?: string | null;
  at?: string;
  by?: UserRef | null;
  currentSteps?: string[];
}

export type InboxCounts = Record<InboxList | 'submittedPending', number>;

export interface TaskDetail {
  task: { id: string; state: string; assignee: string | null; instance_id: string };
  approval: ApprovalSummary;
  step: Omit<TimelineStep, 'actions'> | null;
  actions: TaskAction[];
  returnTargets: { elementId: string; name: string | null }[];
}

export interface RecordAction {
  processId: string;
  processName: string;
  label: LabelMap;
}

const PAGE_SIZE = 20;
const recordBase = (module: string, id: string) =>
  `/api/modules/${encodeURIComponent(module)}/records/${encodeURIComponent(id)}`;

export const inboxCountsQuery = () =>
  queryOptions({
    queryKey: ['approvals', 'counts'],
    queryFn: () => api.get<InboxCounts>('/api/approvals/inbox/counts'),
    refetchInterval: 60_000,
  });

export function useInboxCounts() {
  return useQuery(inboxCountsQuery());
}

export function useInboxList(list: InboxList) {
  return useInfiniteQuery({
    queryKey: ['approvals', 'inbox', list],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<{ data: InboxEntry[]; nextCursor: string | null }>(`/api/approvals/inbox/${list}`, {
        query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined },
      }),
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function useTaskDetail(taskId: string | null) {
  return useQuery({
    queryKey: ['approvals', 'task', taskId],
    queryFn: () => api.get<TaskDetail>(`/api/approvals/tasks/${encodeURIComponent(taskId ?? '')}`),
    enabled: taskId !== null,
  });
}

export function useTimeline(module: string, id: string) {
  return useQuery({
    queryKey: ['approvals', 'timeline', module, id],
    queryFn: () => api.get<TimelineEntry[]>(`${recordBase(module, id)}/approvals`),
  });
}

export function useRecordActions(module: string, id: string) {
  return useQuery({
    queryKey: ['approvals', 'record-actions', module, id],
    queryFn: () => api.get<RecordAction[]>(`${recordBase(module, id)}/actions`),
  });
}

export const startRecordAction = (module: string, id: string, processId: string) =>
  api.post(`${recordBase(module, id)}/actions/${encodeURIComponent(processId)}`, {});

export const actOnTask = (taskId: string, action: TaskAction, body: Record<string, unknown>) =>
  api.post(`/api/approvals/tasks/${encodeURIComponent(taskId)}/${action}`, body);

/** Stores a file for an approval action; the action names it by id in `attachments`. */
export const uploadAttachment = (file: File) =>
  api.post<FileReference>('/api/approvals/files', file, {
    headers: {
      'content-type': file.type || 'application/octet-stream',
      'x-file-name': encodeURIComponent(file.name),
    },
  });

export const actOnInstance = (instanceId: string, action: 'recall' | 'remind', comment?: string) =>
  api.post(`/api/approvals/instances/${encodeURIComponent(instanceId)}/${action}`, { comment });

/** After any approval write: every list, count, task and timeline may have changed, and the record. */
export function useApprovalsRefresh() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['approvals'] });
    void queryClient.invalidateQueries({ queryKey: ['record'] });
    void queryClient.invalidateQueries({ queryKey: ['my-tasks'] });
  };
}
