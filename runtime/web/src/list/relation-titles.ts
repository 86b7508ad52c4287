import type { ModuleDefinition } from '@crm/engine/browser';
import { api, type ModuleSummary, type RecordData, type RecordPage } from '@crm/ui';
import { useQuery } from '@tanstack/react-query';

interface ModuleState {
  published: ModuleDefinition | null;
}

/** The titles of the records the shown relation fields point at, by id (one request per target module). */
export function useRelationTitles(
  definition: ModuleDefinition | null | undefined,
  records: RecordData[] | undefined,
  modules: ModuleSummary[] | undefined,
  columns: string[],
) {
  const wanted = new Map<string, Set<string>>();
  for (const field of definition?.fields ?? []) {
    if ((field.type !== 'relation' && field.type !== 'relations') || !columns.includes(field.name)) continue;
    const target = modules?.find((m) => m.id === field.target);
    if (!target) continue;
    const ids = wanted.get(target.name) ?? new Set<string>();
    for (const record of records ?? []) {
      const value = record[field.name];
      for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string') ids.add(id);
    }
    wanted.set(target.name, ids);
  }
  const request = [...wanted]
    .map(([module, ids]) => [module, [...ids].sort()] as const)
    .filter(([, ids]) => ids.length);
  return useQuery({
    queryKey: ['relation-titles', request],
    enabled: request.length > 0,
    placeholderData: (previous) => previous,
    queryFn: async () => {
      const titles = new Map<string, string>();
      await Promise.all(
        request.map(async ([module, ids]) => {
          const state = await api.get<ModuleState>(`/api/meta/modules/${module}`);
          const titleField = state.published?.titleField ?? state.published?.fields[0]?.name;
          if (!titleField) return;
          const page = await api.get<RecordPage>(`/api/modules/${module}/records`, {
            query: { filter: { field: 'id', op: 'in', value: ids }, fields: titleField, limit: ids.length },
          });
          for (const record of page.data) titles.set(record.id, String(record[titleField] ?? record.id));
        }),
      );
      return titles;
    },
  });
}
