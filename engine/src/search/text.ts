/**
 * How text is cut into search terms, defined once as code point ranges so that the SQL function
 * that indexes records (see sql-function.ts) and the query builder here cut text the same way.
 *
 * Text is NFKC-normalized (full-width forms become half-width, ligatures and circled signs plain)
 * and lowercased, then split into runs: CJK runs (no word boundaries: indexed as overlapping
 * bigrams), words (letters and digits of other scripts), and separators (punctuation, symbols,
 * spaces), which are dropped.
 */

type Range = readonly [number, number];

/** Scripts written without spaces between words: Han, kana, Bopomofo, Hangul. */
export const GRAM_RANGES: readonly Range[] = [
  [0x2e80, 0x2fdf],
  [0x3040, 0x30ff],
  [0x3100, 0x318f],
  [0x31a0, 0x31ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa960, 0xa97f],
  [0xac00, 0xd7ff],
  [0xf900, 0xfaff],
  [0x20000, 0x3ffff],
];

/** Punctuation, symbols, spaces and controls; everything neither this nor CJK is a word character. */
export const SEPARATOR_RANGES: readonly Range[] = [
  [0x1, 0x2f],
  [0x3a, 0x40],
  [0x5b, 0x60],
  [0x7b, 0xbf],
  [0xd7, 0xd7],
  [0xf7, 0xf7],
  [0x1680, 0x1680],
  [0x180e, 0x180e],
  [0x2000, 0x2bff],
  [0x3000, 0x303f],
  [0xfe00, 0xfe6f],
  [0xfeff, 0xfeff],
  [0xff00, 0xff0f],
  [0xff1a, 0xff20],
  [0xff3b, 0xff40],
  [0xff5b, 0xff65],
  [0xfff0, 0xffff],
  [0x1f000, 0x1faff],
];

/** Letters outside ASCII that are folded to lower case (Latin-1, Latin Extended-A/B, Greek, Cyrillic). */
const FOLD_RANGE: Range = [0xc0, 0x4ff];

/** Longer words are cut (a tsvector lexeme has at most 2046 bytes). */
export const MAX_WORD = 64;
/** Of each field value, only the first characters are indexed (a tsvector has at most 1 MB). */
export const MAX_INDEXED_CHARS = 10000;
/** Digits of a phone number that are indexed for digit search. */
export const MAX_PHONE_DIGITS = 32;

/**
 * The case folding pairs: upper-case letters of FOLD_RANGE with a one-letter lower case. The SQL
 * function folds them with `translate(…)`, ASCII with `lower(… COLLATE "C")`: the same on every
 * database whatever its locale (a no-locale database's lower() leaves 'Ä' alone).
 */
export const CASE_FOLD: { upper: string; lower: string } = (() => {
  let upper = '';
  let lower = '';
  for (let cp = FOLD_RANGE[0]; cp <= FOLD_RANGE[1]; cp++) {
    const char = String.fromCodePoint(cp);
    const folded = char.toLowerCase();
    if (folded === char || [...folded].length !== 1) continue;
    if (char.normalize('NFKC') !== char || folded.normalize('NFKC') !== folded) continue;
    upper += char;
    lower += folded;
  }
  return { upper, lower };
})();

const FOLD = new Map([...CASE_FOLD.upper].map((c, i) => [c, [...CASE_FOLD.lower][i]]));

function jsClass(ranges: readonly Range[]): string {
  const hex = (cp: number) => `\\u{${cp.toString(16)}}`;
  return ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');
}

/** The same ranges in PostgreSQL's regular expression syntax. */
function sqlClass(ranges: readonly Range[]): string {
  const hex = (cp: number) =>
    cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  return ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');
}

/** The classes in PostgreSQL's syntax: a CJK character; a separator (ASCII space included). */
export const GRAM_CLASS_SQL = `[${sqlClass(GRAM_RANGES)}]`;
export const SEPARATOR_CLASS_SQL = `[${sqlClass(SEPARATOR_RANGES)}]`;
const TOKEN_PATTERN = new RegExp(
  `([${jsClass(GRAM_RANGES)}]+)|([^${jsClass(SEPARATOR_RANGES)}${jsClass(GRAM_RANGES)}]+)`,
  'gu',
);
/** Characters in FOLD_RANGE, in SQL: only text holding some goes through translate(). */
export const FOLD_PATTERN_SQL = `[${sqlClass([FOLD_RANGE])}]`;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface Token {
  kind: 'gram' | 'word';
  /** Normalized text; a word is cut to MAX_WORD characters. */
  text: string;
}

/**
 * NFKC, then lower case as the SQL function does it. Stored text never holds NUL or lone surrogates
 * (the database refuses them): a query drops NUL and reads a lone surrogate as U+FFFD, as the
 * database driver would.
 */
export function normalizeText(text: string): string {
  let result = '';
  const wellFormed = text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd');
  for (const char of wellFormed.normalize('NFKC')) {
    const folded = FOLD.get(char);
    result += folded ?? (char >= 'A' && char <= 'Z' ? char.toLowerCase() : char);
  }
  return result;
}

function cut(text: string): string {
  const chars = [...text];
  return chars.length > MAX_WORD ? chars.slice(0, MAX_WORD).join('') : text;
}

/** The CJK runs and words of a text, in order. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of normalizeText(text).matchAll(TOKEN_PATTERN)) {
    if (match[1] !== undefined) tokens.push({ kind: 'gram', text: match[1] });
    else tokens.push({ kind: 'word', text: cut(match[2]) });
  }
  return tokens;
}

/**
 * The terms a CJK run is indexed by: its overlapping bigrams and its last character (so that a
 * one-character search, a prefix match, finds a character at the end of a run too).
 */
export function gramsOf(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const grams = chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
  grams.push(chars[chars.length - 1]);
  return grams;
}

/** The digits of a phone number, for searching by any part of the number however it is written. */
export function phoneDigits(text: string): string {
  return normalizeText(text)
    .replace(/[^0-9]/g, '')
    .slice(0, MAX_PHONE_DIGITS);
}
