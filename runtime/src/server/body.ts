import type { Context } from 'hono';
import type { ApiEnv } from './env.ts';
import { findForbiddenJson } from './json-guard.ts';
import { HttpProblem, httpProblem } from './problem.ts';

/** `application/json` and any `application/*+json` (merge-patch, problem …), in UTF-8. */
function isJsonContentType(header: string): boolean {
  const [mediaType, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  const json = mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
  const charset = parameters.find((p) => p.startsWith('charset='))?.slice('charset='.length);
  return json && (charset === undefined || charset === 'utf-8' || charset === '"utf-8"');
}

/**
 * Reads the request body as JSON: 415 for another media type, 400 for text that does not parse.
 * An `optional` body may be left out entirely (no content, no content type): that gives `undefined`.
 */
export async function readJsonBody(
  c: Context<ApiEnv>,
  options: { optional?: boolean } = {},
): Promise<unknown> {
  const text = await readText(c, c.var.bodyLimit);
  const contentType = c.req.header('content-type');
  if (contentType === undefined && text.length === 0) {
    if (options.optional) return undefined;
    throw httpProblem('malformed-json', '', 'required', 'a JSON body is required');
  }
  if (contentType === undefined || !isJsonContentType(contentType)) {
    throw new HttpProblem(
      'unsupported-media-type',
      `send the body as application/json, not ${contentType ?? 'untyped'}`,
      [{ pointer: '', code: 'content-type', detail: 'must be application/json (UTF-8)' }],
    );
  }
  if (text.trim().length === 0 && options.optional) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'not valid JSON';
    throw httpProblem('malformed-json', '', 'malformed-json', `the body is not valid JSON: ${reason}`);
  }
  const forbidden = findForbiddenJson(value);
  if (forbidden)
    throw new HttpProblem('invalid-request', `${forbidden.pointer}: ${forbidden.detail}`, [forbidden]);
  return value;
}

/** Reads a BPMN/XML body (`application/xml`, `text/xml` or `application/bpmn+xml`): 415 for another media type. */
export async function readXmlBody(c: Context<ApiEnv>): Promise<string> {
  const contentType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!['application/xml', 'text/xml', 'application/bpmn+xml'].includes(contentType)) {
    throw new HttpProblem(
      'unsupported-media-type',
      `send the BPMN as application/xml, not ${contentType || 'untyped'}`,
      [{ pointer: '', code: 'content-type', detail: 'must be application/xml (BPMN 2.0 XML)' }],
    );
  }
  return readText(c, c.var.bodyLimit);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function payloadTooLarge(limit: number): HttpProblem {
  return new HttpProblem('payload-too-large', `the body is larger than ${limit} bytes`, [
    { pointer: '', code: 'too-large', detail: `must be at most ${limit} bytes` },
  ]);
}

/**
 * The body as UTF-8 text, refused past `limit` bytes while it streams in. On Node it reads the
 * IncomingMessage directly: going through the web Request makes @hono/node-server build a
 * Request and a ReadableStream per call, which cost more than the rest of a create.
 */
async function readText(c: Context<ApiEnv>, limit: number): Promise<string> {
  const incoming = c.env?.incoming;
  if (!incoming || incoming.readableDidRead) {
    const text = await c.req.text();
    if (Buffer.byteLength(text) > limit) throw payloadTooLarge(limit);
    return text;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      incoming.resume();
      throw payloadTooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
