/**
 * Autonumber patterns such as `QT-{YYYY}{MM}-{0000}`: literal text, date tokens ({YYYY} {YY} {MM}
 * {DD}) and exactly one counter token of zeros, whose width is the minimum number of digits. The
 * date tokens make the period: the counter starts again whenever the date part of the number
 * changes (no date token: one counter forever). Pure, browser-safe.
 */
export type PatternPart =
  | { kind: 'text'; text: string }
  | { kind: 'date'; token: DateToken }
  | { kind: 'counter'; width: number };

export type DateToken = 'YYYY' | 'YY' | 'MM' | 'DD';
const DATE_TOKENS = new Set<string>(['YYYY', 'YY', 'MM', 'DD']);

export interface ParsedPattern {
  parts: PatternPart[];
  /** The counter's width (minimum digits). */
  width: number;
}

export const MAX_COUNTER_WIDTH = 18;

/** The pattern's parts, or the reason it is not a valid pattern. */
export function parsePattern(pattern: string): ParsedPattern | { error: string } {
  const parts: PatternPart[] = [];
  let width = 0;
  let counters = 0;
  const tokens = /\{([^{}]*)\}/g;
  let last = 0;
  for (let match = tokens.exec(pattern); match; match = tokens.exec(pattern)) {
    if (match.index > last) parts.push({ kind: 'text', text: pattern.slice(last, match.index) });
    const token = match[1];
    if (DATE_TOKENS.has(token)) parts.push({ kind: 'date', token: token as DateToken });
    else if (/^0+$/.test(token)) {
      if (token.length > MAX_COUNTER_WIDTH)
        return { error: `the counter has more than ${MAX_COUNTER_WIDTH} digits` };
      parts.push({ kind: 'counter', width: token.length });
      width = token.length;
      counters++;
    } else
      return { error: `unknown token {${token}}: use {YYYY}, {YY}, {MM}, {DD} or a counter such as {0000}` };
    last = match.index + match[0].length;
  }
  if (last < pattern.length) parts.push({ kind: 'text', text: pattern.slice(last) });
  if (parts.some((p) => p.kind === 'text' && /[{}]/.test(p.text))) {
    return { error: 'braces may only enclose a token' };
  }
  if (counters !== 1) return { error: 'the pattern needs exactly one counter token such as {0000}' };
  return { parts, width };
}

/** The calendar date a number is issued on, in the workspace's time zone. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** The date of `instant` in the process time zone (the workspace's: CRM_TIMEZONE sets TZ). */
export function localDate(instant: Date): CalendarDate {
  return { year: instant.getFullYear(), month: instant.getMonth() + 1, day: instant.getDate() };
}

function dateText(token: DateToken, date: CalendarDate): string {
  const two = (n: number) => String(n).padStart(2, '0');
  if (token === 'YYYY') return String(date.year).padStart(4, '0');
  if (token === 'YY') return two(date.year % 100);
  if (token === 'MM') return two(date.month);
  return two(date.day);
}

/**
 * The key of the counter a number is drawn from: the pattern with its date tokens filled in and
 * the counter as `{#}`. A publish that only widens the counter keeps counting on.
 */
export function periodKey(pattern: ParsedPattern, date: CalendarDate): string {
  return pattern.parts
    .map((p) => (p.kind === 'text' ? p.text : p.kind === 'date' ? dateText(p.token, date) : '{#}'))
    .join('');
}

export function formatNumber(pattern: ParsedPattern, date: CalendarDate, counter: number): string {
  return pattern.parts
    .map((p) =>
      p.kind === 'text'
        ? p.text
        : p.kind === 'date'
          ? dateText(p.token, date)
          : String(counter).padStart(p.width, '0'),
    )
    .join('');
}
