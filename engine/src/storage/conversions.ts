/**
 * Column type changes the engine makes in place because no value can be lost.
 * Anything else is refused (converting with a preview of failures is a separate capability).
 * Returns the USING expression for `column`, or undefined when the change is not lossless.
 */
export function losslessConversion(fromSql: string, toSql: string, column: string): string | undefined {
  if (fromSql === toSql) return column;
  const from = numericShape(fromSql);
  const to = numericShape(toSql);
  if (from && to && to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale)
    return column;
  if (fromSql === 'bigint' && to && to.precision - to.scale >= 19) return column;
  if (toSql === 'text' && !fromSql.endsWith('[]')) return `${column}::text`;
  if (fromSql === 'text' && toSql === 'text[]')
    return `CASE WHEN ${column} IS NULL THEN NULL ELSE ARRAY[${column}] END`;
  if (fromSql === 'date' && toSql === 'timestamptz') return `${column}::timestamptz`;
  if (fromSql === 'bigint' && toSql === 'double precision') return column;
  return undefined;
}

function numericShape(sqlType: string): { precision: number; scale: number } | undefined {
  const match = /^numeric\((\d+),(\d+)\)$/.exec(sqlType);
  return match ? { precision: Number(match[1]), scale: Number(match[2]) } : undefined;
}
