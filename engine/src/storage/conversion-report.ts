import { sql } from 'drizzle-orm';
import type { LocaleText } from '../definitions/types.ts';
import type { Problem } from '../errors.ts';
import type { Db } from './db.ts';
import { qualified, quoteIdent } from './naming.ts';
import { type ConversionCheck, LIVE_ROWS } from './plan.ts';

/** How many samples of lost values a preview shows per converted field. */
export const CONVERSION_SAMPLES = 5;

export interface ConversionSample {
  /** The record's id. */
  id: string;
  /** The old value, as JSON. */
  value: unknown;
  /** What it became: null when it could not be converted. */
  converted: unknown;
  problem: 'unconvertible' | 'lossy';
}

/**
 * What a type change did to a field's values, counted over the live records of the module; records in
 * the recycle bin are converted too, and what they would lose is counted apart.
 */
export interface ConversionReport {
  field: string;
  from: string;
  to: string;
  /** Records whose old value was not empty. */
  values: number;
  /** Non-empty values that could not be converted: the new column holds null for them. */
  unconvertible: number;
  /** Values that converted but kept less (a fraction, a time of day). */
  lossy: number;
  /** Unconvertible or lossy values of records in the recycle bin (restoring one finds the converted value). */
  inRecycleBin: number;
  /** Whether the field is required: each unconvertible value leaves a record without one. */
  required: boolean;
  /** Where the old values stay until purged. */
  archivedColumn: string;
  samples: ConversionSample[];
  /** The counts in words. */
  summary: LocaleText;
}

const count = (value: unknown) => Number(value ?? 0);

/** Whether a conversion kept every value whole, in live records and in the recycle bin. */
const lostNothing = (r: Pick<ConversionReport, 'unconvertible' | 'lossy' | 'inRecycleBin'>) =>
  r.unconvertible === 0 && r.lossy === 0 && r.inRecycleBin === 0;

function summaryOf(report: Omit<ConversionReport, 'summary'>): LocaleText {
  const { field, from, to, values, unconvertible, lossy, inRecycleBin, required, archivedColumn } = report;
  if (lostNothing(report)) {
    return {
      en: `all ${values} values of field '${field}' convert from ${from} to ${to}`,
      'zh-CN': `字段 ${field} 的全部 ${values} 个值都能由 ${from} 转换为 ${to}`,
    };
  }
  const en: string[] = [];
  const zh: string[] = [];
  if (unconvertible > 0) {
    en.push(`${unconvertible} of ${values} values cannot be converted and would become empty`);
    zh.push(`${values} 个值中有 ${unconvertible} 个无法转换，将变为空值`);
    if (required) {
      en.push(`${unconvertible} records would be left without a value in this required field`);
      zh.push(`${unconvertible} 条记录的必填字段将没有值`);
    }
  }
  if (lossy > 0) {
    en.push(`${lossy} values would lose precision`);
    zh.push(`${lossy} 个值将丢失精度`);
  }
  if (inRecycleBin > 0) {
    en.push(`${inRecycleBin} values of records in the recycle bin would be lost or lose precision`);
    zh.push(`回收站中记录的 ${inRecycleBin} 个值将丢失或丢失精度`);
  }
  return {
    en: `changing field '${field}' from ${from} to ${to}: ${en.join('; ')} (the old values stay in ${archivedColumn} until purged)`,
    'zh-CN': `字段 ${field} 由 ${from} 改为 ${to}：${zh.join('；')}（原值保留在 ${archivedColumn} 中，直到清除）`,
  };
}

/** Counts, right after a conversion step ran, what it could not convert or converted with loss. */
export async function measureConversion(
  db: Db,
  schema: string,
  check: ConversionCheck,
): Promise<ConversionReport> {
  const table = qualified(schema, check.table);
  const [totals] = await db.query<Record<string, unknown>>(
    sql.raw(
      `SELECT count(*) FILTER (WHERE ${LIVE_ROWS} AND ${check.present}) AS present,
              count(*) FILTER (WHERE ${LIVE_ROWS} AND ${check.unconvertible}) AS unconvertible,
              count(*) FILTER (WHERE ${LIVE_ROWS} AND ${check.lossy}) AS lossy,
              count(*) FILTER (WHERE NOT ${LIVE_ROWS} AND (${check.unconvertible} OR ${check.lossy})) AS binned
       FROM ${table}`,
    ),
  );
  const unconvertible = count(totals?.unconvertible);
  const lossy = count(totals?.lossy);
  const inRecycleBin = count(totals?.binned);
  const samples: ConversionSample[] = [];
  if (unconvertible + lossy > 0) {
    const old = quoteIdent(check.archivedColumn);
    const now = quoteIdent(check.column);
    const rows = await db.query<Record<string, unknown>>(
      sql.raw(
        `SELECT id::text AS id, to_jsonb(${old})::text AS value, to_jsonb(${now})::text AS converted,
                ${now} IS NULL AS unconvertible
         FROM ${table} WHERE ${LIVE_ROWS} AND ((${check.unconvertible}) OR (${check.lossy}))
         ORDER BY created_at, id LIMIT ${CONVERSION_SAMPLES}`,
      ),
    );
    for (const row of rows) {
      samples.push({
        id: String(row.id),
        value: parseJson(row.value),
        converted: parseJson(row.converted),
        problem: row.unconvertible === true ? 'unconvertible' : 'lossy',
      });
    }
  }
  const report = {
    field: check.field,
    from: check.from,
    to: check.to,
    values: count(totals?.present),
    unconvertible,
    lossy,
    inRecycleBin,
    required: check.required,
    archivedColumn: check.archivedColumn,
    samples,
  };
  return { ...report, summary: summaryOf(report) };
}

/** Values come as JSON text, so each keeps its JSON type whatever the driver parses. */
function parseJson(value: unknown): unknown {
  return value === null || value === undefined ? null : JSON.parse(String(value));
}

/** The problem that stops a publish losing values nobody confirmed losing. */
export function dataLossProblem(report: ConversionReport, check: ConversionCheck): Problem | undefined {
  if (lostNothing(report)) return undefined;
  const messages = {
    en: `${report.summary.en}; confirm the data loss to publish`,
    'zh-CN': `${report.summary['zh-CN']}；确认数据丢失后才能发布`,
  };
  return { pointer: check.pointer, code: 'data-loss', message: messages.en, messages };
}
