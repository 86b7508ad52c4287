/** RFC 5987 attr-chars are letters, digits and !#$&+-.^_`|~; everything else is percent-encoded. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `attachment` with the file's name twice: an ASCII stand-in for old clients and the exact name
 * (Chinese included) as RFC 5987 UTF-8. Quotes, backslashes and control characters never reach
 * the header as themselves.
 */
export function attachmentDisposition(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it replaces
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_').replace(/[\u0000-\u001f]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
