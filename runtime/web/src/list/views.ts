import { api } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';

/** A saved view as /api/views keeps it. */
export interface SavedView {
  id: string;
  module: string;
  name: string;
  filter?: unknown;
  q?: string;
  sort?: string;
  columns?: string[];
  mode?: 'table' | 'kanban';
}

export type ViewSettings = Pick<SavedView, 'filter' | 'q' | 'sort' | 'columns' | 'mode'>;

export function useSavedViews(module: string) {
  return useQuery({
    queryKey: ['views', module],
    queryFn: () => api.get<SavedView[]>('/api/views', { query: { module } }),
  });
}
