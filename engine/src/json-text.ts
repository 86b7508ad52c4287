/**
 * Pointer of the first string (value or key) holding U+0000, which PostgreSQL text and jsonb
 * cannot store; undefined when there is none.
 */
export function findNul(value: unknown, pointer = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? pointer : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key.includes('\u0000')) return at;
    const found = findNul(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
