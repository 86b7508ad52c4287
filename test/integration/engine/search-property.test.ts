// Keyword search against a plain JavaScript model on a generated corpus of Chinese and English
// records: random substrings of the data are always found (no false negatives), the database answers
// exactly what the term model answers, and no query text whatever reaches the database as syntax.
import { SYSTEM_ACTOR, type Workspace } from '@crm/engine';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { forEachDatabase } from '../../support/engines.ts';
import { containsSubstring, type ModelRecord, modelMatches } from '../../support/search-model.ts';

const corpusModule = {
  id: 'mod_srch_corpus',
  name: 'corpus',
  label: { en: 'Corpus' },
  fields: [
    { id: 'k_name', name: 'name', type: 'text', label: { en: 'Name' } },
    { id: 'k_note', name: 'note', type: 'longText', label: { en: 'Note' } },
    { id: 'k_phone', name: 'phone', type: 'phone', label: { en: 'Phone' } },
  ],
};
const FIELDS = ['name', 'note', 'phone'];
const HAN = [...'北京上海广州深圳星辰科技有限公司贸易明月光华东精密电子机械客户销售服务中心集团股份'];
const WORDS = [
  'Beijing',
  'shanghai',
  'ACME',
  'Robotics',
  'star',
  'Star',
  'tech',
  'Ｔｅｃｈ',
  'ltd',
  'Müller',
  'MÜLLER',
  'co2',
];
const RECORDS = 150;
const PROPERTY_TIMEOUT = 240_000;

const han = fc.array(fc.constantFrom(...HAN), { minLength: 1, maxLength: 8 }).map((c) => c.join(''));
const word = fc.constantFrom(...WORDS);
const text = fc
  .array(fc.oneof(han, word, han), { minLength: 1, maxLength: 5 })
  .chain((parts) =>
    fc
      .array(fc.constantFrom(' ', '', '-', '，', '.'), { minLength: parts.length, maxLength: parts.length })
      .map((seps) => parts.map((p, i) => p + seps[i]).join('')),
  );
const phone = fc
  .tuple(
    fc.integer({ min: 130, max: 199 }),
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 9999 }),
  )
  .map(([a, b, c]) => `${a}-${String(b).padStart(4, '0')}-${String(c).padStart(4, '0')}`);
const record = fc.record({
  name: text,
  note: fc.option(text, { nil: undefined }),
  phone: fc.option(phone, { nil: undefined }),
});

/** A piece of `value` that does not start inside a word (words are found by their start). */
function pieceOf(value: string, from: number, length: number): string {
  const chars = [...value];
  let start = Math.min(from, chars.length - 1);
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c) && !HAN.includes(c);
  while (start > 0 && isWord(chars[start]) && isWord(chars[start - 1])) start--;
  return chars.slice(start, start + Math.max(1, length)).join('');
}

forEachDatabase('keyword search against a model', (handle) => {
  let workspace: Workspace;
  const model: ModelRecord[] = [];

  const found = async (q: string) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await workspace.records.list('corpus', SYSTEM_ACTOR, { q, limit: 500, cursor });
      ids.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids.sort();
  };

  beforeAll(async () => {
    workspace = handle().workspace;
    await workspace.definitions.saveDraft(corpusModule);
    await workspace.definitions.publish();
    const values = fc.sample(record, { numRuns: RECORDS, seed: 3 });
    for (const v of values) {
      const stored = await workspace.records.create('corpus', v, SYSTEM_ACTOR);
      model.push({
        id: stored.id,
        texts: Object.fromEntries(
          FIELDS.map((f) => [f, v[f as keyof typeof v] ? [String(v[f as keyof typeof v])] : []]),
        ),
        phones: v.phone ? { phone: v.phone } : {},
      });
    }
  }, PROPERTY_TIMEOUT);

  it(
    'finds every record holding a random piece of the data, and exactly what the term model finds',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: RECORDS - 1 }),
          fc.constantFrom(...FIELDS),
          fc.nat(40),
          fc.integer({ min: 1, max: 12 }),
          async (index, field, from, length) => {
            const source = model[index].texts[field][0];
            fc.pre(source !== undefined);
            const q = pieceOf(source, from, length);
            fc.pre(q.trim() !== '' && /[\p{L}\p{N}]/u.test(q));
            const ids = await found(q);
            const substring = model.filter((r) => containsSubstring(r, q, FIELDS)).map((r) => r.id);
            for (const id of substring) expect(ids, `'${q}' misses a record holding it`).toContain(id);
            expect(ids).toEqual(
              model
                .filter((r) => modelMatches(r, q, FIELDS))
                .map((r) => r.id)
                .sort(),
            );
          },
        ),
        { numRuns: 120, seed: 11 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'takes any text as plain text: never a database error, same answer as the model',
    async () => {
      const alphabet = fc.constantFrom(...HAN, ...'&|!():*\'"\\<->% _科技starSTAR０１２'.split(''), ' ');
      const hostile = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.array(alphabet, { maxLength: 20 }).map((c) => c.join('')),
      );
      await fc.assert(
        fc.asyncProperty(hostile, async (q) => {
          const ids = await found(q);
          if (/^[\s\p{L}\p{N}&|!():*'"\\<>% _-]*$/u.test(q) && ![...q].some((c) => c.codePointAt(0) === 0)) {
            const expected =
              q.trim() === ''
                ? model.map((r) => r.id)
                : model.filter((r) => modelMatches(r, q, FIELDS)).map((r) => r.id);
            expect(ids).toEqual(expected.sort());
          }
        }),
        { numRuns: 150, seed: 5 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
