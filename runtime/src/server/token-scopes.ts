import type { TokenScope } from '@crm/engine';

type Area = 'records' | 'meta' | 'admin';

/** Which area each part of the API belongs to, for token scopes; a path in none needs `admin`. */
const AREAS: { prefix: string; area: Area }[] = [
  { prefix: '/api/modules/', area: 'records' },
  { prefix: '/api/files/', area: 'records' },
  // a user's own saved list views
  { prefix: '/api/views', area: 'records' },
  { prefix: '/api/meta/', area: 'meta' },
  // people work their own workflow tasks with record rights; the rest of /api/workflows is admin
  { prefix: '/api/workflows/tasks', area: 'records' },
  // a user's own notifications go with their record work
  { prefix: '/api/notifications', area: 'records' },
  { prefix: '/api/org/', area: 'admin' },
  { prefix: '/api/roles', area: 'admin' },
  { prefix: '/api/admin/', area: 'admin' },
  // managing credentials with a credential: only an admin-scoped token may
  { prefix: '/api/auth/', area: 'admin' },
];

/** Paths any valid token may call, whatever its scopes. */
const OPEN_TO_EVERY_TOKEN = new Set(['/api/auth/me']);

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The scopes of which a token needs one for this request: reading an area takes its read or its
 * write scope, changing it its write scope; the admin area takes `admin`. An empty list: any token.
 */
export function scopesFor(method: string, path: string): TokenScope[] {
  if (OPEN_TO_EVERY_TOKEN.has(path)) return [];
  const area = AREAS.find((a) => path.startsWith(a.prefix))?.area ?? 'admin';
  if (area === 'admin') return ['admin'];
  return READ_METHODS.has(method) ? [`${area}:read`, `${area}:write`] : [`${area}:write`];
}
