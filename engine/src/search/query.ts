import { type SQL, sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import { localizedError } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import { SEARCH_COLUMN, type SearchField, type SearchSpec, searchSpec } from './spec.ts';
import { gramsOf, type Token, tokenize } from './text.ts';

/** Longest keyword query, in characters: a search box, not a document. */
export const MAX_SEARCH_LENGTH = 100;

const specs = new WeakMap<CompiledModule, SearchSpec>();

/** The search column's fields of a published module version. */
export function moduleSearchSpec(module: CompiledModule): SearchSpec {
  let spec = specs.get(module);
  if (!spec) {
    spec = searchSpec(module.fields);
    specs.set(module, spec);
  }
  return spec;
}

/** The query's terms, or undefined for a blank query (no search); too long is an error. */
export function parseSearch(q: unknown): Token[] | undefined {
  if (q === undefined || q === null) return undefined;
  if (typeof q !== 'string') {
    throw localizedError('invalid-query', '/q', 'type', {
      en: 'q: the search must be text',
      'zh-CN': 'q：搜索内容必须是文本',
    });
  }
  if ([...q].length > MAX_SEARCH_LENGTH) {
    throw localizedError('invalid-query', '/q', 'too-long', {
      en: `q: the search must be at most ${MAX_SEARCH_LENGTH} characters`,
      'zh-CN': `q：搜索内容最多 ${MAX_SEARCH_LENGTH} 个字符`,
    });
  }
  if (q.trim() === '') return undefined;
  return tokenize(q);
}

// Terms hold letters, digits and CJK only (text.ts drops ASCII punctuation), so quoting them is safe.
const term = (text: string, prefix = false) => `'${text}'${prefix ? ':*' : ''}`;

/** A token found in one field: all its terms there (any part of the number, for a phone's digits). */
function tokenInField(token: Token, field: SearchField, last: boolean): string {
  const tag = field.tag;
  let found: string;
  if (token.kind === 'word') {
    found = term(tag + token.text, last);
  } else if ([...token.text].length === 1) {
    // a lone character: the start of one of its bigrams, or the end of a run
    found = term(tag + token.text, true);
  } else {
    const grams = [...new Set(gramsOf(token.text).slice(0, -1))];
    found = grams.map((g) => term(tag + g)).join(' & ');
  }
  if (field.digits && token.kind === 'word' && /^[0-9]+$/.test(token.text)) {
    found = `${found} | ${term(`${tag}#${token.text}`, true)}`;
  }
  return `(${found})`;
}

/**
 * The tsquery for `tokens` over the fields `readable`: every token must be found in one of those
 * fields (different tokens may be in different fields); the last word may be the start of a word.
 * Undefined when it cannot match (no tokens, or no readable searchable field).
 */
export function searchQuery(tokens: Token[], fields: SearchField[]): string | undefined {
  if (tokens.length === 0 || fields.length === 0) return undefined;
  return tokens
    .map((token, i) => {
      const last = i === tokens.length - 1;
      return `(${fields.map((f) => tokenInField(token, f, last)).join(' | ')})`;
    })
    .join(' & ');
}

/** Up to this many matches, a search lists them by id; beyond, by the condition on the column. */
export const FEW_MATCHES = 2000;

/**
 * The condition a keyword search puts on a list: only the searchable fields `mayRead` allows count,
 * so a field the user may not read never makes a record match.
 *
 * The planner cannot estimate how many records a term query matches, and with a sorted, limited
 * list it walks the sort index hoping to meet matches soon: for a rare term that reads the whole
 * table (335 ms for a 232-record match among 300,000 measured). So the matches are looked up in
 * the GIN index first: when there are few, the list takes them as a list of ids (exact, cheap); when
 * there are many, the sort index walk meets them soon, and the list takes the condition itself.
 */
export async function searchCondition(
  db: Db,
  module: CompiledModule,
  table: SQL,
  tokens: Token[],
  alias: string,
  mayRead: (field: string) => boolean,
): Promise<SQL> {
  const fields = moduleSearchSpec(module).fields.filter((f) => mayRead(f.name));
  const query = searchQuery(tokens, fields);
  if (query === undefined) return sql`false`;
  const column = sql.identifier(SEARCH_COLUMN);
  const matches = await db.query<{ id: string }>(
    sql`SELECT id FROM ${table} WHERE ${column} @@ ${query}::tsquery LIMIT ${FEW_MATCHES + 1}`,
  );
  if (matches.length <= FEW_MATCHES) {
    return sql`${sql.identifier(alias)}.id = ANY(${sql.param(matches.map((m) => m.id))}::uuid[])`;
  }
  return sql`${sql.identifier(alias)}.${column} @@ ${query}::tsquery`;
}
