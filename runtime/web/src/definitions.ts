import type { ModuleDefinition } from '@crm/engine/browser';
import { api } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';

interface ModuleState {
  id: string;
  name: string;
  published: ModuleDefinition | null;
  publishedVersion: number | null;
}

/** The published definition of a module (its fields, labels, layout and views). */
export function usePublishedDefinition(module: string) {
  return useQuery({
    queryKey: ['definition', module],
    queryFn: async () => {
      const state = await api.get<ModuleState>(`/api/meta/modules/${encodeURIComponent(module)}`);
      return state.published;
    },
  });
}
