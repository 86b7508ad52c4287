import { describe, expect, it } from 'vitest';
import { InsertBatcher, MAX_BATCH } from './insert-batcher.ts';

function recordingWriter(failOn?: (row: number) => boolean) {
  const calls: { kind: 'many' | 'one'; key: string; rows: number[] }[] = [];
  return {
    calls,
    writer: {
      async many(key: string, rows: number[]) {
        calls.push({ kind: 'many' as const, key, rows });
        if (failOn && rows.some(failOn)) throw new Error('batch failed');
      },
      async one(key: string, row: number) {
        calls.push({ kind: 'one' as const, key, rows: [row] });
        if (failOn?.(row)) throw new Error(`row ${row} failed`);
      },
    },
  };
}

describe('InsertBatcher', () => {
  it('writes what arrives in one turn as one batch per key, and a lone row on its own', async () => {
    const { calls, writer } = recordingWriter();
    const batcher = new InsertBatcher(writer);
    await Promise.all([batcher.insert('a', 1), batcher.insert('b', 2), batcher.insert('a', 3)]);
    await batcher.insert('a', 4);
    expect(calls).toEqual([
      { kind: 'many', key: 'a', rows: [1, 3] },
      { kind: 'one', key: 'b', rows: [2] },
      { kind: 'one', key: 'a', rows: [4] },
    ]);
  });

  it('splits large turns into batches of at most MAX_BATCH', async () => {
    const { calls, writer } = recordingWriter();
    const batcher = new InsertBatcher(writer);
    const rows = Array.from({ length: MAX_BATCH * 2 + 1 }, (_, i) => i);
    await Promise.all(rows.map((row) => batcher.insert('a', row)));
    expect(calls.map((c) => c.rows.length)).toEqual([MAX_BATCH, MAX_BATCH, 1]);
    expect(calls.flatMap((c) => c.rows)).toEqual(rows);
  });

  it('when a batch fails, writes its rows one by one so each caller gets its own outcome', async () => {
    const { calls, writer } = recordingWriter((row) => row === 2);
    const batcher = new InsertBatcher(writer);
    const outcomes = await Promise.allSettled([1, 2, 3].map((row) => batcher.insert('a', row)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('row 2 failed'));
    expect(calls.map((c) => c.kind)).toEqual(['many', 'one', 'one', 'one']);
  });
});
