import { sql } from 'drizzle-orm';
import type { Problem } from '../errors.ts';
import { type ConversionReport, dataLossProblem, measureConversion } from './conversion-report.ts';
import type { Db } from './db.ts';
import { qualified, quoteIdent } from './naming.ts';
import { LIVE_ROWS, type MigrationPlan, type MigrationStep, type PlanCheck } from './plan.ts';

/** Seconds a publish waits for a table lock before giving up instead of queueing users behind it. */
export const PUBLISH_LOCK_TIMEOUT = '5s';

/** Advisory lock (with the workspace's hash) that serializes publishes and purges of archived columns. */
export const PUBLISH_LOCK = 727_002;

async function runCheck(db: Db, schema: string, check: PlanCheck): Promise<Problem | undefined> {
  const table = qualified(schema, check.table);
  const column = quoteIdent(check.column);
  if (check.kind === 'duplicates') {
    const group = check.within ? `${quoteIdent(check.within)}, ${column}` : column;
    const rows = await db.query<{ value: unknown; n: string | number }>(
      sql.raw(
        `SELECT ${column}::text AS value, count(*) AS n FROM ${table} WHERE ${column} IS NOT NULL
         ${check.within ? '' : `AND ${LIVE_ROWS}`}
         GROUP BY ${group} HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 5`,
      ),
    );
    if (rows.length === 0) return undefined;
    return {
      pointer: check.pointer,
      code: 'duplicates',
      message: `field '${check.field}' cannot be made unique${check.within ? ' within each record' : ''}: values occur more than once (${rows
        .map((r) => `${JSON.stringify(r.value)} ×${r.n}`)
        .join(', ')})`,
    };
  }
  const rows = await db.query<{ value: unknown }>(
    sql.raw(
      `SELECT t.${column}::text AS value FROM ${table} t WHERE t.${column} IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ${qualified(schema, check.targetTable)} x WHERE x.id = t.${column}) LIMIT 5`,
    ),
  );
  if (rows.length === 0) return undefined;
  return {
    pointer: check.pointer,
    code: 'orphans',
    message: `field '${check.field}' holds ids with no ${check.targetTable} record: ${rows.map((r) => r.value).join(', ')}`,
  };
}

export interface ExecuteOptions {
  /** Go ahead with conversions that lose values (unconvertible or less precise ones). */
  confirmDataLoss?: boolean;
}

export interface ExecutionResult {
  /** Data that blocks a step, and values conversions would lose without confirmation. */
  problems: Problem[];
  /** What each conversion step did to its field's values. */
  conversions: Map<MigrationStep, ConversionReport>;
}

/**
 * Runs a plan's steps in order inside the caller's transaction; each step's data check runs right
 * before it (after earlier renames), and a failed check skips the rest, which is returned. Each
 * conversion is measured right after it ran; unconfirmed losses are problems too, but the steps go
 * on so that a preview counts every conversion (the caller rolls back).
 */
export async function executePlan(
  tx: Db,
  schema: string,
  plan: MigrationPlan,
  options: ExecuteOptions = {},
): Promise<ExecutionResult> {
  await tx.run(sql.raw(`SET LOCAL lock_timeout = '${PUBLISH_LOCK_TIMEOUT}'`));
  const problems: Problem[] = [];
  const losses: Problem[] = [];
  const conversions = new Map<MigrationStep, ConversionReport>();
  for (const step of plan.steps) {
    if (step.check) {
      const problem = await runCheck(tx, schema, step.check);
      if (problem) {
        problems.push(problem);
        continue;
      }
    }
    if (problems.length > 0) continue;
    for (const statement of step.sql) await tx.run(sql.raw(statement));
    if (step.conversionCheck) {
      const report = await measureConversion(tx, schema, step.conversionCheck);
      conversions.set(step, report);
      const loss = dataLossProblem(report, step.conversionCheck);
      if (loss && options.confirmDataLoss !== true) losses.push(loss);
    }
  }
  return { problems: [...losses, ...problems], conversions };
}
