import type { LocaleText } from '@crm/engine/browser';
import { api } from '@crm/ui';

export interface ActionParameter {
  name: string;
  type: string;
  required?: boolean;
  description: LocaleText;
}

export interface WorkflowActionInfo {
  type: string;
  label: LocaleText;
  description: LocaleText | null;
  mode: 'inline' | 'job';
  inputs: ActionParameter[];
  headers: ActionParameter[];
  outputs: ActionParameter[];
}

export interface LintProblem {
  elementId: string;
  pointer: string;
  code: string;
  message: string;
  messages?: LocaleText;
}

const xml = { 'content-type': 'application/xml' };
const encode = encodeURIComponent;

export const workflowApi = {
  definitions: () =>
    api.get<{ processId: string; name: string | null; latestVersion: number; deployedAt: string }[]>(
      '/api/workflows/definitions',
    ),
  versions: (processId: string) =>
    api.get<{ version: number; name: string | null; deployedAt: string; xml: string }[]>(
      `/api/workflows/definitions/${encode(processId)}/versions`,
    ),
  actions: () => api.get<WorkflowActionInfo[]>('/api/workflows/actions'),
  lint: (diagram: string) =>
    api.post<{ processes: { processId: string; name: string | null }[]; problems: LintProblem[] }>(
      '/api/workflows/lint',
      diagram,
      { headers: xml },
    ),
  deploy: (diagram: string) =>
    api.post<{ processId: string; version: number; duplicate: boolean }[]>(
      '/api/workflows/definitions',
      diagram,
      {
        headers: xml,
      },
    ),
};
