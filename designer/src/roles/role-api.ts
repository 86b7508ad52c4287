import type { LocaleText } from '@crm/engine/browser';
import { api } from '@crm/ui';

export const OPERATIONS = ['read', 'create', 'update', 'delete', 'share', 'assign'] as const;
export const SCOPES = ['own', 'department', 'department_tree', 'all'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ModuleGrant {
  read?: Scope | null;
  create?: Scope | null;
  update?: Scope | null;
  delete?: Scope | null;
  share?: Scope | null;
  assign?: Scope | null;
  export?: boolean;
  /** May claim records from the module's pool. */
  claim?: boolean;
  fields?: Record<string, 'none' | 'read' | 'write'>;
}

export interface Role {
  id: string;
  label: LocaleText;
  description?: LocaleText;
  modules: Record<string, ModuleGrant>;
  createdAt?: string;
  updatedAt?: string;
}

const encode = encodeURIComponent;

export const roleApi = {
  list: () => api.get<Role[]>('/api/roles'),
  create: (role: Role) => api.post<Role>('/api/roles', role),
  update: (id: string, role: Role) => api.put<Role>(`/api/roles/${encode(id)}`, role),
  remove: (id: string) => api.delete<void>(`/api/roles/${encode(id)}`),
};
