import type { ModuleDefinition } from '@crm/engine/browser';
import { api } from '@crm/ui';
import { queryOptions, useQuery } from '@tanstack/react-query';

interface ModuleState {
  id: string;
  name: string;
  published: ModuleDefinition | null;
  publishedVersion: number | null;
}

/** The published definition of a module (its fields, labels, layout and views). */
export const definitionQuery = (module: string) =>
  queryOptions({
    queryKey: ['definition', module],
    queryFn: async () => {
      const state = await api.get<ModuleState>(`/api/meta/modules/${encodeURIComponent(module)}`);
      return state.published;
    },
  });

export function usePublishedDefinition(module: string) {
  return useQuery(definitionQuery(module));
}
