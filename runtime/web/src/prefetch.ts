import type { QueryClient } from '@tanstack/react-query';
import { matchPath } from 'react-router';
import { inboxCountsQuery } from './approvals/data.ts';
import { definitionQuery } from './definitions.ts';
import { fieldTypesQuery } from './list/fields.ts';
import { DEFAULT_PAGE_SIZE, recordsQuery } from './list/records.ts';
import { modulesQuery } from './modules.ts';

/**
 * Starts what the page the app opens on will ask for, beside the session check (/api/auth/me) instead
 * of after it: the menu's modules and inbox count, and on a list its definition, field types and first
 * page. Without a session they answer 401 like the session check, and logging in clears the cache.
 */
export function prefetchOpeningPage(client: QueryClient, path: string): void {
  if (path === '/login') return;
  void client.prefetchQuery(modulesQuery());
  void client.prefetchQuery(inboxCountsQuery());
  const module = matchPath('/m/:module', path)?.params.module;
  if (!module) return;
  void client.prefetchQuery(definitionQuery(module));
  void client.prefetchQuery(fieldTypesQuery());
  void client.prefetchQuery(recordsQuery(module, 'default', DEFAULT_PAGE_SIZE));
}
