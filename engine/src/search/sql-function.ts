import { quoteLiteral } from '../storage/naming.ts';
import {
  CASE_FOLD,
  FOLD_PATTERN_SQL,
  GRAM_CLASS_SQL,
  MAX_INDEXED_CHARS,
  MAX_PHONE_DIGITS,
  MAX_WORD,
  SEPARATOR_CLASS_SQL,
} from './text.ts';

/**
 * The function a module table's search column is filled by (versioned: a change to how text is
 * cut is a new function and a rebuild of the columns, never an edit of this one).
 */
export const SEARCH_FUNCTION = 'crm_search_vector_v1';

/**
 * `parts` alternates a field's tag and a text of it; `phones` the same for phone numbers. Every
 * term is prefixed with its field's tag, so a search can be limited to the fields a user may read.
 * Terms (see text.ts): each word (cut to MAX_WORD), each CJK run's bigrams and last character,
 * each suffix of a phone number's digits (`<tag>#<digits>`: a prefix search on them finds any
 * part of the number). Text is NFKC-normalized and case-folded as text.ts `normalizeText` does.
 * IMMUTABLE: it depends on its arguments only (no locale, no tables). PL/pgSQL rather than SQL:
 * a SQL function this shape is planned again for every row (~50 ms a row measured on PostgreSQL 15).
 */
export function searchFunctionSql(schema: string): string {
  return `CREATE OR REPLACE FUNCTION ${schema}.${SEARCH_FUNCTION}(parts text[], phones text[])
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
DECLARE
  terms text[] := '{}';
  tag text;
  txt text;
  piece text;
  digits text;
BEGIN
  FOR i IN 1 .. coalesce(array_length(parts, 1), 0) / 2 LOOP
    tag := parts[2 * i - 1];
    txt := parts[2 * i];
    CONTINUE WHEN txt IS NULL;
    txt := normalize(left(txt, ${MAX_INDEXED_CHARS}), NFKC);
    IF txt ~ ${quoteLiteral(FOLD_PATTERN_SQL)} THEN
      txt := translate(txt, ${quoteLiteral(CASE_FOLD.upper)}, ${quoteLiteral(CASE_FOLD.lower)});
    END IF;
    txt := lower(txt COLLATE "C");
    -- CJK runs set apart by spaces, then cut at separators: each piece is a CJK run or a word
    txt := regexp_replace(txt, ${quoteLiteral(`(${GRAM_CLASS_SQL}+)`)}, ' \\1 ', 'g');
    FOREACH piece IN ARRAY regexp_split_to_array(txt, ${quoteLiteral(`${SEPARATOR_CLASS_SQL}+`)}) LOOP
      CONTINUE WHEN piece = '';
      IF piece ~ ${quoteLiteral(`^${GRAM_CLASS_SQL}`)} THEN
        FOR k IN 1 .. char_length(piece) - 1 LOOP
          terms := terms || (tag || substr(piece, k, 2));
        END LOOP;
        terms := terms || (tag || right(piece, 1));
      ELSE
        terms := terms || (tag || left(piece, ${MAX_WORD}));
      END IF;
    END LOOP;
  END LOOP;
  FOR i IN 1 .. coalesce(array_length(phones, 1), 0) / 2 LOOP
    digits := left(regexp_replace(normalize(coalesce(phones[2 * i], ''), NFKC), '[^0-9]', '', 'g'), ${MAX_PHONE_DIGITS});
    CONTINUE WHEN digits = '';
    FOR k IN 1 .. char_length(digits) LOOP
      terms := terms || (phones[2 * i - 1] || '#' || substr(digits, k));
    END LOOP;
  END LOOP;
  RETURN array_to_tsvector(terms);
END
$fn$`;
}
