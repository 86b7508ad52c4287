import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { LocaleText } from '../definitions/types.ts';
import { localizedError, notFound } from '../errors.ts';
import { timestampToIso } from '../fields/shared.ts';
import type { Row } from '../storage/db.ts';
import { type IdentityContext, nowIso } from './context.ts';
import { checkInput, isUuid } from './inputs.ts';
import type { Position } from './types.ts';

function toPosition(row: Row): Position {
  return {
    id: row.id as string,
    name: (typeof row.name === 'string' ? JSON.parse(row.name) : row.name) as LocaleText,
    createdAt: timestampToIso(row.created_at) as string,
  };
}

/** Job titles (销售经理, 客户经理 …) people hold; independent of the department tree. */
export class PositionService {
  constructor(private readonly ctx: IdentityContext) {}

  async list(): Promise<Position[]> {
    const rows = await this.ctx.db.query(
      sql`SELECT id, name, created_at FROM ${this.ctx.t.positions} ORDER BY created_at, id`,
    );
    return rows.map(toPosition);
  }

  async get(id: string): Promise<Position> {
    const [row] = isUuid(id)
      ? await this.ctx.db.query(
          sql`SELECT id, name, created_at FROM ${this.ctx.t.positions} WHERE id = ${id}`,
        )
      : [];
    if (!row) throw notFound(`position '${id}'`);
    return toPosition(row);
  }

  async create(input: { name: LocaleText }): Promise<Position> {
    const { name } = checkInput<{ name: LocaleText }>('position', input);
    const [row] = await this.ctx.db.query(
      sql`INSERT INTO ${this.ctx.t.positions} (id, name, created_at)
          VALUES (${uuidv7()}, ${JSON.stringify(name)}::jsonb, ${nowIso(this.ctx)}) RETURNING id, name, created_at`,
    );
    return toPosition(row);
  }

  async rename(id: string, input: { name: LocaleText }): Promise<Position> {
    const { name } = checkInput<{ name: LocaleText }>('position', input);
    await this.get(id);
    const [row] = await this.ctx.db.query(
      sql`UPDATE ${this.ctx.t.positions} SET name = ${JSON.stringify(name)}::jsonb WHERE id = ${id}
          RETURNING id, name, created_at`,
    );
    return toPosition(row);
  }

  /** Deletes a position nobody holds (refused otherwise, naming how many do). */
  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.ctx.db.transaction(async (tx) => {
      // the row lock makes a concurrent "give someone this position" wait for the delete, or this for it
      await tx.run(sql`SELECT id FROM ${this.ctx.t.positions} WHERE id = ${id} FOR UPDATE`);
      const [{ holders }] = await tx.query<{ holders: number | string }>(
        sql`SELECT count(*) AS holders FROM ${this.ctx.t.users} WHERE position_id = ${id}`,
      );
      if (Number(holders) > 0) {
        const message = `${holders} users hold this position; give them another first`;
        throw localizedError('conflict', '', 'in-use', {
          en: message,
          'zh-CN': `有 ${holders} 名用户担任此职位，请先调整`,
        });
      }
      await tx.run(sql`DELETE FROM ${this.ctx.t.positions} WHERE id = ${id}`);
    });
  }
}
