/** A record's ETag is its version, so `If-Match` can carry the version a client last read. */
export const etagOf = (version: number) => `"${version}"`;
