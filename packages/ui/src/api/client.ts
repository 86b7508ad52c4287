import { currentLocale } from '../i18n/i18n.ts';
import { ApiError, type ProblemDocument } from './errors.ts';

export type QueryValue = string | number | boolean | null | undefined | object;

export interface RequestOptions {
  /** Query parameters; objects are sent as JSON (`filter`), undefined and null are left out. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON unless it is a FormData, Blob or string. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function problemOf(response: Response): Promise<ProblemDocument | undefined> {
  const type = response.headers.get('content-type') ?? '';
  if (!/json/.test(type)) return undefined;
  try {
    return (await response.json()) as ProblemDocument;
  } catch {
    return undefined;
  }
}

/**
 * The REST API over fetch with the browser's session cookie. Writes carry the session's CSRF token
 * (from login or /api/auth/me); failures become an ApiError; a 401 tells the listeners (log in again).
 */
export class ApiClient {
  csrfToken: string | undefined;
  private readonly unauthorizedListeners = new Set<() => void>();

  constructor(private readonly base = '') {}

  onUnauthorized(listener: () => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    return `${this.base}${path}${queryString(query)}`;
  }

  /** The raw response of a successful call (for downloads and streams). */
  async fetch(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { 'accept-language': currentLocale(), ...options.headers };
    if (WRITES.has(method) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let body: BodyInit | undefined;
    const given = options.body;
    if (given instanceof FormData || given instanceof Blob || typeof given === 'string') body = given;
    else if (given !== undefined) {
      body = JSON.stringify(given);
      headers['content-type'] ??= 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiError(0, undefined, error instanceof Error ? error.message : 'network error');
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      if (response.status === 401) for (const listener of this.unauthorizedListeners) listener();
      throw new ApiError(response.status, problem, `${response.status} ${response.statusText}`);
    }
    return response;
  }

  /** Parsed JSON of a call (undefined for 204). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.fetch(method, path, options);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (/json/.test(type) ? await response.json() : await response.text()) as T;
  }

  get<T>(path: string, options?: Omit<RequestOptions, 'body'>): Promise<T> {
    return this.request<T>('GET', path, options);
  }
  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }
  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }
  delete<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }
}

/** The app's client: same origin as the page. */
export const api = new ApiClient();
