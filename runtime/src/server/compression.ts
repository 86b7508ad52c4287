import type { MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX, compress } from 'hono/compress';

/**
 * gzip (or deflate) for text, JSON and scripts when the client accepts it: the API's pages and the web
 * apps' bundles. A response carrying an ETag is left as it is: a record's ETag is its version, which
 * `If-Match` compares strongly, and a compressed body could only carry a weak one.
 */
export function compression(): MiddlewareHandler {
  return (c, next) =>
    compress({
      contentTypeFilter: (type) => !c.res.headers.has('ETag') && COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type),
    })(c, next);
}
