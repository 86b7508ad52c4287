import { type SQL, sql } from 'drizzle-orm';
import type { CompiledModule } from '../compile/module.ts';
import { localizedError } from '../errors.ts';
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

/**
 * The condition a keyword search puts on a list: only the searchable fields `mayRead` allows count,
 * so a field the user may not read never makes a record match.
 */
export function searchCondition(
  module: CompiledModule,
  tokens: Token[],
  alias: string,
  mayRead: (field: string) => boolean,
): SQL {
  const fields = moduleSearchSpec(module).fields.filter((f) => mayRead(f.name));
  const query = searchQuery(tokens, fields);
  if (query === undefined) return sql`false`;
  return sql`${sql.identifier(alias)}.${sql.identifier(SEARCH_COLUMN)} @@ ${query}::tsquery`;
}
