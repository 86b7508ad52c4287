import { type BulkFailure, dbErrorInfo, EngineError, type EngineErrorKind, type Problem } from '@crm/engine';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { etagOf } from './etag.ts';

/** One invalid thing in a request, located by a JSON pointer into what was sent. */
export interface ApiError {
  pointer: string;
  code: string;
  detail: string;
  messages?: Record<string, string>;
}

/** An RFC 9457 problem document, with the API's `errors` extension. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors: ApiError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const KINDS = {
  'invalid-record': { status: 422, title: 'The record is not valid' },
  'invalid-definition': { status: 422, title: 'The module definition is not valid' },
  'invalid-request': { status: 422, title: 'The request body is not valid' },
  'invalid-query': { status: 400, title: 'The query is not valid' },
  'invalid-header': { status: 400, title: 'A request header is not valid' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'route-not-found': { status: 404, title: 'No such endpoint' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'migration-refused': { status: 409, title: 'The publish was refused' },
  locked: { status: 423, title: 'The record is locked' },
  'payload-too-large': { status: 413, title: 'The body is too large' },
  'too-many-attempts': { status: 429, title: 'Too many failed attempts' },
  'unsupported-media-type': { status: 415, title: 'The body must be JSON' },
  'unsupported-file-type': { status: 415, title: 'The file type is not accepted' },
  unavailable: { status: 503, title: 'Busy, try again' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'plugin-failed': { status: 500, title: 'A plugin failed' },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemKind = keyof typeof KINDS;

/** Problem types are URNs: stable identifiers that need no documentation server. */
export const problemType = (kind: ProblemKind) => `urn:crm:problem:${kind}`;

/** A problem the HTTP layer detects itself (query text, headers, bodies, routing). */
export class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    detail: string,
    readonly errors: ApiError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

/** A problem with one error at `pointer`, the usual case for request checks. */
export function httpProblem(kind: ProblemKind, pointer: string, code: string, detail: string): HttpProblem {
  return new HttpProblem(kind, detail, [{ pointer, code, detail }]);
}

/** The engine's problem shape as the API's error shape (`message` becomes `detail`). */
export function toApiError(problem: Problem): ApiError {
  return {
    pointer: problem.pointer,
    code: problem.code,
    detail: problem.message,
    ...(problem.messages ? { messages: problem.messages } : {}),
  };
}

function kindOfEngineError(error: EngineError): ProblemKind {
  const kinds: Record<EngineErrorKind, ProblemKind> = {
    'invalid-definition': 'invalid-definition',
    'invalid-record': 'invalid-record',
    'invalid-query': 'invalid-query',
    'invalid-input': 'invalid-request',
    'not-found': 'not-found',
    conflict: 'conflict',
    forbidden: 'forbidden',
    'migration-refused': 'migration-refused',
    'too-large': 'payload-too-large',
    'invalid-file': 'unsupported-file-type',
    locked: 'locked',
    'plugin-failed': 'plugin-failed',
  };
  return kinds[error.kind];
}

/** Postgres refused to wait (lock timeout) or to serialize: the client may simply retry. */
const RETRYABLE_SQLSTATES = new Set(['55P03', '40001', '40P01']);

interface Described {
  kind: ProblemKind;
  detail: string;
  errors: ApiError[];
  extensions: Record<string, unknown>;
  headers: Record<string, string>;
}

function describe(error: unknown): Described {
  if (error instanceof HttpProblem) {
    return {
      kind: error.kind,
      detail: error.message,
      errors: error.errors,
      extensions: {},
      headers: error.headers,
    };
  }
  if (error instanceof EngineError) {
    const extensions: Record<string, unknown> = {};
    const headers: Record<string, string> = {};
    const current = error.details.current;
    if (current !== undefined) {
      extensions.current = current;
      // the ETag of the record as it is now, ready for the client's next If-Match
      const version = (current as { version?: unknown }).version;
      if (typeof version === 'number') headers.ETag = etagOf(version);
    }
    if (error.details.steps !== undefined) extensions.steps = error.details.steps;
    // a bulk operation: each record that failed, with its own problems
    if (Array.isArray(error.details.records)) {
      extensions.records = (error.details.records as BulkFailure[]).map((r) => ({
        id: r.id,
        index: r.index,
        errors: r.problems.map(toApiError),
      }));
    }
    if (error.details.lockedBy !== undefined) extensions.lockedBy = error.details.lockedBy;
    return {
      kind: kindOfEngineError(error),
      detail: error.message,
      errors: error.problems.map(toApiError),
      extensions,
      headers,
    };
  }
  const code = dbErrorInfo(error)?.code;
  if (code && RETRYABLE_SQLSTATES.has(code)) {
    return {
      kind: 'unavailable',
      detail: 'the database is busy with a conflicting change; retry the request',
      errors: [],
      extensions: {},
      headers: { 'Retry-After': '1' },
    };
  }
  return {
    kind: 'internal-error',
    detail: 'an unexpected error occurred',
    errors: [],
    extensions: {},
    headers: {},
  };
}

/** Builds the problem document for any error; unexpected ones reveal nothing of the server. */
export function problemFor(
  error: unknown,
  instance: string,
): { document: ProblemDocument; headers: Record<string, string> } {
  const { kind, detail, errors, extensions, headers } = describe(error);
  const { status, title } = KINDS[kind];
  // Every client error names at least one location, so clients can always point at something.
  const located = errors.length > 0 || status >= 500 ? errors : [{ pointer: '', code: kind, detail }];
  return {
    document: { type: problemType(kind), title, status, detail, instance, errors: located, ...extensions },
    headers,
  };
}

export function problemResponse(c: Context, error: unknown): Response {
  const { document, headers } = problemFor(error, c.req.path);
  if (document.status >= 500 && document.status !== 503) console.error(error);
  return c.body(JSON.stringify(document), document.status as ContentfulStatusCode, {
    ...headers,
    'Content-Type': PROBLEM_CONTENT_TYPE,
  });
}
