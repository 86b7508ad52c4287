// Keyword search as the engine promises it, computed in plain JavaScript over the records, for
// suites to compare the database's answers with.
import { gramsOf, MAX_INDEXED_CHARS, normalizeText, phoneDigits, tokenize } from '@crm/engine';

/** A record's searchable texts by field (labels for selects), and phone numbers by field. */
export interface ModelRecord {
  id: string;
  texts: Record<string, string[]>;
  phones?: Record<string, string>;
}

function termsOf(texts: string[]): Set<string> {
  const terms = new Set<string>();
  for (const text of texts) {
    for (const token of tokenize([...text].slice(0, MAX_INDEXED_CHARS).join(''))) {
      if (token.kind === 'word') terms.add(token.text);
      else for (const gram of gramsOf(token.text)) terms.add(gram);
    }
  }
  return terms;
}

/** Whether the term-based search (what the index can answer) finds `record` for `q` in `fields`. */
export function modelMatches(record: ModelRecord, q: string, fields: string[]): boolean {
  const tokens = tokenize(q);
  if (tokens.length === 0) return false;
  const perField = fields.map((f) => ({
    terms: termsOf(record.texts[f] ?? []),
    digits: record.phones?.[f] !== undefined ? phoneDigits(record.phones[f]) : undefined,
  }));
  return tokens.every((token, i) =>
    perField.some(({ terms, digits }) => {
      const last = i === tokens.length - 1;
      const has = (term: string, prefix: boolean) =>
        prefix ? [...terms].some((t) => t.startsWith(term)) : terms.has(term);
      let found: boolean;
      if (token.kind === 'word') found = has(token.text, last);
      else if ([...token.text].length === 1) found = has(token.text, true);
      else
        found = gramsOf(token.text)
          .slice(0, -1)
          .every((g) => has(g, false));
      if (!found && digits !== undefined && /^[0-9]+$/.test(token.text)) {
        found = Array.from({ length: digits.length }, (_, k) => digits.slice(k)).some((s) =>
          s.startsWith(token.text),
        );
      }
      return found;
    }),
  );
}

const isWordChar = (c: string | undefined) => c !== undefined && tokenize(c).some((t) => t.kind === 'word');

/**
 * Whether `q` occurs in one of the record's texts, after the same normalization, and not starting
 * inside a word (words are found by their start): a plain scan.
 */
export function containsSubstring(record: ModelRecord, q: string, fields: string[]): boolean {
  const needle = normalizeText(q);
  const first = [...needle][0];
  return fields.some((f) =>
    (record.texts[f] ?? []).some((t) => {
      const hay = normalizeText(t);
      for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
        if (!(isWordChar(first) && isWordChar(hay[at - 1]))) return true;
      }
      return false;
    }),
  );
}
