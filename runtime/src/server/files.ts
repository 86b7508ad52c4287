import { Readable } from 'node:stream';
import {
  APPROVAL_ATTACHMENT_MAX_SIZE,
  type ByteRange,
  type FileReference,
  type Workspace,
} from '@crm/engine';
import { type Context, Hono } from 'hono';
import { payloadTooLarge } from './body.ts';
import { attachmentDisposition } from './content-disposition.ts';
import type { ApiEnv } from './env.ts';
import { HttpProblem, httpProblem } from './problem.ts';

/** The upload endpoints: their body is a file, limited by the field (or approvals' limit), not the JSON body limit. */
export const UPLOAD_PATH = /^\/api\/(modules\/[^/]+\/fields\/[^/]+\/files|approvals\/files)$/;

export const FILE_NAME_HEADER = 'X-File-Name';

/** The request body as a stream of bytes, never buffered whole. */
function bodyStream(c: Context<ApiEnv>): AsyncIterable<Uint8Array> {
  const incoming = c.env?.incoming;
  if (incoming && !incoming.readableDidRead) return incoming;
  const body = c.req.raw.body;
  if (!body) return (async function* () {})();
  return Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0]);
}

function fileName(c: Context<ApiEnv>): string {
  const header = c.req.header(FILE_NAME_HEADER);
  if (!header) {
    throw httpProblem(
      'invalid-header',
      `/headers/${FILE_NAME_HEADER}`,
      'required',
      `send the file's name in ${FILE_NAME_HEADER} (percent-encoded UTF-8)`,
    );
  }
  try {
    return decodeURIComponent(header);
  } catch {
    throw httpProblem(
      'invalid-header',
      `/headers/${FILE_NAME_HEADER}`,
      'encoding',
      `${FILE_NAME_HEADER} must be percent-encoded UTF-8`,
    );
  }
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` within `size`; undefined for none or several ranges (whole file). */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (size === 0) return 'unsatisfiable';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}

/** The request's file stored by `store` (201 with its reference), refused early when it says it is too large. */
async function receive(
  c: Context<ApiEnv>,
  maxSize: number,
  store: (name: string, body: AsyncIterable<Uint8Array>) => Promise<FileReference>,
) {
  const declared = Number(c.req.header('content-length'));
  const body = bodyStream(c);
  try {
    if (declared > maxSize) throw payloadTooLarge(maxSize);
    const file = await store(fileName(c), body);
    return c.json(file, 201, { Location: `/api/files/${file.id}` });
  } catch (error) {
    // the rest of the body is not wanted: let it drain so the response can go out
    c.env?.incoming?.resume();
    throw error;
  }
}

/** Uploads to a record's file field or for approval actions, and downloads of files one may read. */
export function fileRoutes(workspace: Workspace) {
  const { files } = workspace;
  const uploads = new Hono<ApiEnv>();
  uploads.post('/:module/fields/:field/files', async (c) => {
    const { module, field } = c.req.param();
    const target = await files.target(module, field, c.var.actor);
    return receive(c, target.maxSize, (name, body) =>
      files.upload({ module, field }, name, body, c.var.actor),
    );
  });

  // attachments of approval actions: named by id in an action's `attachments`
  const approvalUploads = new Hono<ApiEnv>();
  approvalUploads.post('/', (c) =>
    receive(c, Math.min(APPROVAL_ATTACHMENT_MAX_SIZE, files.maxSize), (name, body) =>
      files.uploadApprovalAttachment(name, body, c.var.actor),
    ),
  );

  const downloads = new Hono<ApiEnv>();
  downloads.get('/:id', async (c) => {
    const id = c.req.param('id');
    const file = await files.get(id, c.var.actor);
    if (!file) throw new HttpProblem('not-found', `file '${id}' not found`);
    const etag = `"${file.sha256}"`;
    const headers: Record<string, string> = {
      'Content-Type': file.contentType,
      'Content-Disposition': attachmentDisposition(file.name),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Cache-Control': 'private, no-cache',
      'Accept-Ranges': 'bytes',
      ETag: etag,
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    const ifRange = c.req.header('if-range');
    const range =
      ifRange === undefined || ifRange === etag ? parseRange(c.req.header('range'), file.size) : undefined;
    if (range === 'unsatisfiable') {
      return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${file.size}` });
    }
    const download = files.download(file, range);
    const stream = Readable.toWeb(Readable.from(download.body)) as ReadableStream<Uint8Array>;
    if (range) {
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${file.size}`;
      headers['Content-Length'] = String(range.end - range.start + 1);
      return c.body(stream, 206, headers);
    }
    headers['Content-Length'] = String(file.size);
    return c.body(stream, 200, headers);
  });
  return { uploads, approvalUploads, downloads };
}
