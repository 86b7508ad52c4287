import { api, type ModuleSummary } from '@crm/ui';
import { queryOptions, useQuery } from '@tanstack/react-query';

/** The modules end users work in: published and not archived. */
export const modulesQuery = () =>
  queryOptions({
    queryKey: ['modules'],
    queryFn: async () => {
      const all = await api.get<ModuleSummary[]>('/api/meta/modules');
      return all.filter((m) => m.publishedVersion !== null && !m.archived);
    },
  });

export function useModules() {
  return useQuery(modulesQuery());
}

/** One published module by its name (undefined while loading or when there is none). */
export function useModule(name: string | undefined) {
  const modules = useModules();
  return { ...modules, module: modules.data?.find((m) => m.name === name) };
}
