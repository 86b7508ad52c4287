// The REST API in-process: `createApp` over a test engine, called with `app.request(...)`.
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
}

export type ApiClient = ReturnType<typeof apiClient>;

/** Small JSON helpers over `app.request`. */
export function apiClient(handle: EngineHandle, options: { bodyLimitBytes?: number } = {}) {
  const app = createApp({ engine: handle.engine, workspace: handle.workspace, ...options });
  const send = async <T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    let payload: string | undefined = opts.raw;
    if (payload === undefined && body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await app.request(path, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text === '' ? undefined : text;
    if (/json/.test(response.headers.get('content-type') ?? '') && text !== '') parsed = JSON.parse(text);
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
