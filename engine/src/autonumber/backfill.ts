import type { FieldDefinition } from '../definitions/types.ts';
import { autonumberPattern, autonumberStart } from '../fields/autonumber.ts';
import { qualified, quoteIdent, quoteLiteral } from '../storage/naming.ts';
import { COUNTERS_TABLE } from './counters.ts';
import { type DateToken, parsePattern } from './pattern.ts';

/** The process time zone (CRM_TIMEZONE sets it): the one numbers' dates are read in. */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * SQL numbering the records a table already holds when an autonumber field is added to it: in the
 * order they were created, each period from the start, as if the field had always been there; then
 * the counters continue after the highest number of each period. Runs in the publish's transaction.
 */
export function autonumberBackfill(
  schema: string,
  table: string,
  moduleId: string,
  field: FieldDefinition,
  timeZone = processTimeZone(),
): string[] {
  const pattern = parsePattern(autonumberPattern(field));
  if ('error' in pattern) return [];
  const start = autonumberStart(field);
  const local = `(created_at AT TIME ZONE ${quoteLiteral(timeZone)})`;
  const formats: Record<DateToken, string> = { YYYY: 'YYYY', YY: 'YY', MM: 'MM', DD: 'DD' };
  const render = (counter: string) =>
    `concat(${pattern.parts
      .map((p) =>
        p.kind === 'text'
          ? quoteLiteral(p.text)
          : p.kind === 'date'
            ? `to_char(${local}, '${formats[p.token]}')`
            : counter,
      )
      .join(', ')})`;
  const period = render(quoteLiteral('{#}'));
  const digits = `(k + ${start - 1})::text`;
  // lpad would cut a number longer than the width
  const counter = `CASE WHEN length(${digits}) >= ${pattern.width} THEN ${digits} ELSE lpad(${digits}, ${pattern.width}, '0') END`;
  const column = quoteIdent(field.name);
  const counters = qualified(schema, COUNTERS_TABLE);
  return [
    `UPDATE ${table} t SET ${column} = n.value FROM (
       SELECT id, ${render(counter)} AS value FROM (
         SELECT id, created_at, row_number() OVER (PARTITION BY ${period} ORDER BY created_at, id) AS k
         FROM ${table}) numbered) n
     WHERE t.id = n.id`,
    `INSERT INTO ${counters} AS c (module_id, field_id, period, value)
       SELECT ${quoteLiteral(moduleId)}, ${quoteLiteral(field.id)}, period, count(*) + ${start - 1}
       FROM (SELECT ${period} AS period FROM ${table}) p GROUP BY period
     ON CONFLICT (module_id, field_id, period) DO UPDATE SET value = greatest(c.value, EXCLUDED.value)`,
  ];
}
