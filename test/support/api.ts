// The REST API in-process: `createApp` over a test engine, called with `app.request(...)`.
// Requests authenticate as the workspace's test admin (a bearer token with every scope) unless told
// otherwise: `{ auth: 'none' }`, another token, or a session from `loginAs`.
import { TOKEN_SCOPES, type TokenScope, type Workspace } from '@crm/engine';
import { createApp, type ProblemDocument } from '@crm/runtime';
import { expect } from 'vitest';
import type { EngineHandle } from './engines.ts';
import { rawRows } from './sql.ts';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON, or undefined when there is none. */
  body: T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as is (no JSON encoding, no content type added). */
  raw?: string;
  /** With a session: leave out the CSRF header a write would otherwise carry. */
  csrf?: false;
}

/** How a client proves who it is. */
export type ClientAuth = 'admin' | 'none' | { token: string } | { session: string; csrfToken: string };

export interface ClientOptions {
  bodyLimitBytes?: number;
  /** Proxies whose X-Forwarded-For the app believes (tests set client addresses through it). */
  trustedProxies?: number;
  auth?: ClientAuth;
}

export type ApiClient = ReturnType<typeof apiClient>;

export const TEST_ADMIN = { username: 'admin', password: 'Admin-passw0rd' };
export const ALL_SCOPES: TokenScope[] = [...TOKEN_SCOPES];

const admins = new WeakMap<Workspace, Promise<{ userId: string; token: string }>>();

/** The workspace's test admin and a token of theirs with every scope, made on first use. */
export function testAdmin(handle: EngineHandle): Promise<{ userId: string; token: string }> {
  let admin = admins.get(handle.workspace);
  if (!admin) {
    const { users } = handle.workspace.identity;
    admin = (async () => {
      const user =
        (await users.findByUsername(TEST_ADMIN.username)) ??
        (await users.create({ ...TEST_ADMIN, displayName: 'Test admin', isAdmin: true }));
      return { userId: user.id, token: await tokenFor(handle, user.id) };
    })();
    admins.set(handle.workspace, admin);
  }
  return admin;
}

/** A new personal token of the user (every scope their admin flag allows, unless told). */
export async function tokenFor(handle: EngineHandle, userId: string, scopes?: TokenScope[]): Promise<string> {
  const { identity } = handle.workspace;
  const isAdmin = (await identity.users.get(userId)).isAdmin;
  const wanted = scopes ?? ALL_SCOPES.filter((scope) => isAdmin || scope !== 'admin');
  return (await identity.tokens.create(userId, { name: `test ${wanted.join(' ')}`, scopes: wanted })).token;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Small JSON helpers over `app.request`. */
export function apiClient(handle: EngineHandle, options: ClientOptions = {}) {
  const { auth = 'admin', ...appOptions } = options;
  // the API alone: whether the web apps are built must not change what these tests see
  const app = createApp({ engine: handle.engine, workspace: handle.workspace, webApps: [], ...appOptions });
  const credentials = async (method: string, opts: RequestOptions): Promise<Record<string, string>> => {
    if (auth === 'none') return {};
    if (auth === 'admin') return { authorization: `Bearer ${(await testAdmin(handle)).token}` };
    if ('token' in auth) return { authorization: `Bearer ${auth.token}` };
    const headers: Record<string, string> = { cookie: `crm_session=${auth.session}` };
    if (WRITES.has(method) && opts.csrf !== false) headers['x-csrf-token'] = auth.csrfToken;
    return headers;
  };
  const send = async <T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}) => {
    const given = Object.keys(opts.headers ?? {}).map((name) => name.toLowerCase());
    const own =
      given.includes('authorization') || given.includes('cookie') ? {} : await credentials(method, opts);
    const headers: Record<string, string> = { ...own, ...opts.headers };
    let payload: string | undefined = opts.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await app.request(path, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text === '' ? undefined : text;
    // JSON and its +json kinds (problem+json), not JSON lines, which stay text
    const contentType = response.headers.get('content-type') ?? '';
    if (/^application\/(?:[\w.-]+\+)?json(?:;|$)/.test(contentType) && text !== '') parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T } satisfies ApiResponse<T>;
  };
  return {
    app,
    get: <T = unknown>(path: string, opts?: RequestOptions) => send<T>('GET', path, undefined, opts),
    post: <T = unknown>(path: string, body?: unknown, opts?: RequestOptions) =>
      send<T>('POST', path, body, opts),
    put: <T = unknown>(path: string, body?: unknown, opts?: RequestOptions) =>
      send<T>('PUT', path, body, opts),
    patch: <T = unknown>(path: string, body?: unknown, opts?: RequestOptions) =>
      send<T>('PATCH', path, body, opts),
    delete: <T = unknown>(path: string, opts?: RequestOptions) => send<T>('DELETE', path, undefined, opts),
    send,
  };
}

/** The session id a response's Set-Cookie gives (undefined when it sets none or clears it). */
export function sessionFrom(response: ApiResponse): string | undefined {
  const cookie = response.headers.get('set-cookie') ?? '';
  const value = /(?:^|[,;]\s*)crm_session=([^;,]*)/.exec(cookie)?.[1];
  return value ? value : undefined;
}

export interface LoggedIn {
  /** A client sending the session cookie (and the CSRF token on writes). */
  api: ApiClient;
  session: string;
  csrfToken: string;
  response: ApiResponse<{ csrfToken: string; user: { id: string } }>;
}

/** Logs in through the API like a browser and returns a client carrying the session. */
export async function loginAs(
  handle: EngineHandle,
  username: string,
  password: string,
  options: Omit<ClientOptions, 'auth'> & { headers?: Record<string, string> } = {},
): Promise<LoggedIn> {
  const { headers, ...clientOptions } = options;
  const anonymous = apiClient(handle, { ...clientOptions, auth: 'none' });
  const response = await anonymous.post<{ csrfToken: string; user: { id: string } }>(
    '/api/auth/login',
    { username, password },
    { headers },
  );
  const session = sessionFrom(response);
  if (response.status !== 200 || !session) {
    throw new Error(`login of ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  const csrfToken = response.body.csrfToken;
  return {
    api: apiClient(handle, { ...clientOptions, auth: { session, csrfToken } }),
    session,
    csrfToken,
    response,
  };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Row count of a module's table and of the workspace's history: what a refused request must not change. */
export async function counts(handle: EngineHandle, table: string) {
  const schema = quote(handle.workspace.schema);
  const [{ rows, history }] = await rawRows(
    handle.engine,
    `SELECT (SELECT count(*) FROM ${schema}.${quote(table)}) AS rows, (SELECT count(*) FROM ${schema}."_history") AS history`,
  );
  return { rows: Number(rows), history: Number(history) };
}

/** Asserts an RFC 9457 problem with the status and, when given, an error at each pointer. */
export function expectProblem(response: ApiResponse, status: number, pointers: string[] = []) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = response.body as ProblemDocument;
  expect(problem).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(problem.errors.length).toBeGreaterThan(0);
  const found = problem.errors.map((e) => e.pointer);
  for (const pointer of pointers) expect(found, JSON.stringify(problem.errors)).toContain(pointer);
  return problem;
}
