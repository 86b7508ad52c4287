import { api, type RecordPage } from '@crm/ui';
import { queryOptions } from '@tanstack/react-query';

export const DEFAULT_PAGE_SIZE = 50;

/** What a list asks for: `default` (the module's list view, decided by the server) or its own settings. */
export type ListRequest = 'default' | { filter?: object; q?: string; sort: string; fields: string };

/**
 * A page of a module's records. The default view needs no definition, so the list's first page is asked
 * for at once, beside the definition, not after it.
 */
export const recordsQuery = (module: string, request: ListRequest, limit: number, cursor?: string) =>
  queryOptions({
    queryKey: ['records', module, request, limit, cursor],
    queryFn: () =>
      api.get<RecordPage>(`/api/modules/${encodeURIComponent(module)}/records`, {
        query: {
          ...(request === 'default' ? { view: 'default' } : request),
          limit,
          cursor,
          count: true,
        },
      }),
  });
