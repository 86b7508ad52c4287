import { mayRead, type StoredRecord, SYSTEM_FIELDS, type Workspace } from '@crm/engine';
import { stringify } from 'csv-stringify/sync';
import { Hono } from 'hono';
import type { ApiEnv } from './env.ts';
import { xlsxStream } from './export-xlsx.ts';
import { listQueryFrom } from './list-query.ts';
import { httpProblem } from './problem.ts';

const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/jsonl; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
type Format = keyof typeof FORMATS;
const EXPORT_PARAMETERS = ['filter', 'sort', 'fields', 'format', 'q'];

/**
 * A value as one CSV cell: money as "amount currency", lists joined, other objects as JSON, text
 * that a spreadsheet would take for a formula prefixed with an apostrophe.
 */
function cell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  // sub-table rows as JSON; multi-select values joined
  if (Array.isArray(value))
    return value.some((v) => typeof v === 'object') ? JSON.stringify(value) : value.join('; ');
  if (typeof value === 'object') {
    const { amount, currency } = value as { amount?: unknown; currency?: unknown };
    if (amount !== undefined && Object.keys(value).length <= 2)
      return [amount, currency].filter(Boolean).join(' ');
    return JSON.stringify(value);
  }
  // a cell a spreadsheet would run as a formula is kept as text (CSV injection)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
  return value as string | number | boolean;
}

/**
 * `GET /api/modules/{module}/records/export?format=csv|xlsx|jsonl` (and the list's filter, sort and
 * fields): every matching record the actor may read, with the fields they may read. Needs the
 * export permission; streamed a page at a time.
 */
export function exportRoutes(workspace: Workspace): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/:module/records/export', async (c) => {
    const query = listQueryFrom(c, EXPORT_PARAMETERS);
    const format = (c.req.query('format') ?? 'csv') as Format;
    if (!Object.hasOwn(FORMATS, format)) {
      throw httpProblem('invalid-query', '/format', 'enum', "must be 'csv', 'xlsx' or 'jsonl'");
    }
    const name = c.req.param('module');
    const module = workspace.catalog.byName(name);
    const access = await workspace.records.fieldAccess(name, c.var.actor);
    const columns = [
      ...SYSTEM_FIELDS,
      ...module.fields
        .filter((f) => mayRead(access, f.name))
        .filter((f) => (query.fields ? query.fields.includes(f.name) : f.definition.type !== 'subtable'))
        .map((f) => f.name),
    ];
    const pages = workspace.records.export(name, c.var.actor, query);
    // the first page before the response starts: a refusal is still a problem document
    const first = await pages.next();
    const headers = {
      'Content-Type': FORMATS[format],
      'Content-Disposition': `attachment; filename="${module.name}.${format}"`,
    };
    if (format === 'xlsx') {
      return c.body(xlsxStream(module.name, columns, first.done ? [] : first.value, pages), 200, headers);
    }
    const encoder = new TextEncoder();
    const render = (records: StoredRecord[], header: boolean) =>
      format === 'csv'
        ? stringify(
            records.map((r) => columns.map((column) => cell(r[column]))),
            header ? { header: true, columns } : {},
          )
        : records.map((r) => `${JSON.stringify(r)}\n`).join('');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(render(first.done ? [] : first.value, true)));
      },
      async pull(controller) {
        const next = first.done ? first : await pages.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(render(next.value, false)));
      },
      async cancel() {
        await pages.return(undefined);
      },
    });
    return c.body(body, 200, headers);
  });

  return app;
}
