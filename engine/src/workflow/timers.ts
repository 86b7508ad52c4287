import { CronExpressionParser } from 'cron-parser';

/**
 * BPMN timer definitions as Zeebe reads them: a duration (`PT15M`, `P1DT2H`), a date
 * (ISO 8601 date-time) or a cycle: ISO 8601 repeating (`R3/PT1H`, `R/PT10M`,
 * `R2/2025-01-01T09:00:00Z/P1D`) or a cron expression (`0 0 9 * * MON-FRI`, seconds optional,
 * `@daily`) read in the workspace's time zone.
 */

export type TimerKind = 'duration' | 'date' | 'cycle';

interface Duration {
  years: number;
  months: number;
  days: number;
  ms: number;
}

const DURATION =
  /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDuration(text: string): Duration | null {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const [, negative, y, mo, w, d, h, mi, s] = match;
  if (negative) return null;
  const duration = {
    years: Number(y ?? 0),
    months: Number(mo ?? 0),
    days: Number(w ?? 0) * 7 + Number(d ?? 0),
    ms: Math.round((Number(h ?? 0) * 3600 + Number(mi ?? 0) * 60 + Number(s ?? 0)) * 1000),
  };
  return duration;
}

export function addDuration(from: Date, duration: Duration): Date {
  const date = new Date(from.getTime());
  if (duration.years || duration.months) {
    const day = date.getUTCDate();
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() + duration.years * 12 + duration.months);
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    date.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(date.getTime() + duration.days * 86_400_000 + duration.ms);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

export function parseDateTime(text: string): Date | null {
  const trimmed = text.trim();
  if (!DATE_TIME.test(trimmed)) return null;
  // a zone-less date-time is taken as UTC
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

export interface Cycle {
  /** Repetitions left (null: forever). */
  repetitions: number | null;
  start: Date | null;
  interval: Duration;
}

const CYCLE = /^R(\d*)\/(?:([^/]+)\/)?([^/]+)$/;

export function parseCycle(text: string): Cycle | null {
  const match = CYCLE.exec(text.trim());
  if (!match) return null;
  const interval = parseDuration(match[3] ?? '');
  if (!interval || isZero(interval)) return null;
  const start = match[2] ? parseDateTime(match[2]) : null;
  if (match[2] && !start) return null;
  return { repetitions: match[1] === '' ? null : Number(match[1]), start, interval };
}

function isZero(duration: Duration): boolean {
  return !duration.years && !duration.months && !duration.days && !duration.ms;
}

/** The first cron occurrence strictly after `after` in `zone`; null when `value` is no cron expression. */
export function nextCron(value: string, after: Date, zone: string): Date | null {
  try {
    return CronExpressionParser.parse(value.trim(), { currentDate: after, tz: zone }).next().toDate();
  } catch {
    return null;
  }
}

/** A cycle's next `count` due times from its planned `due` time on (what an admin sees of a schedule). */
export function upcoming(value: string, due: Date, zone: string, fired: number, count: number): Date[] {
  const dates: Date[] = [];
  let at = due;
  for (let i = 0; i < count; i++) {
    const next = i === 0 ? at : nextCycleDue(value, at, fired + i, zone);
    if (!next) break;
    dates.push(next);
    at = next;
  }
  return dates;
}

/** When a timer of `kind` with the evaluated `value` falls due, seen from `now`; null if the value is invalid. */
export function firstDue(kind: TimerKind, value: string, now: Date, zone = 'UTC'): Date | null {
  switch (kind) {
    case 'duration': {
      const duration = parseDuration(value);
      return duration ? addDuration(now, duration) : null;
    }
    case 'date':
      return parseDateTime(value);
    case 'cycle': {
      const cycle = parseCycle(value);
      if (!cycle) return nextCron(value, now, zone);
      return cycle.start && cycle.start.getTime() >= now.getTime()
        ? cycle.start
        : addDuration(now, cycle.interval);
    }
  }
}

/**
 * The next due time of a cycle after it fired at `firedAt` for the `fired`-th time; null when done.
 * A cron schedule's next occurrence is strictly after `firedAt`: occurrences missed while no server
 * ran are not made up one by one.
 */
export function nextCycleDue(value: string, firedAt: Date, fired: number, zone = 'UTC'): Date | null {
  const cycle = parseCycle(value);
  if (!cycle) return nextCron(value, firedAt, zone);
  if (cycle.repetitions !== null && fired >= cycle.repetitions) return null;
  return addDuration(firedAt, cycle.interval);
}

/** Whether `value` is valid for `kind` (lint of literal timer settings). */
export function isValidTimer(kind: TimerKind, value: string): boolean {
  switch (kind) {
    case 'duration':
      return parseDuration(value) !== null;
    case 'date':
      return parseDateTime(value) !== null;
    case 'cycle':
      return parseCycle(value) !== null || nextCron(value, new Date(0), 'UTC') !== null;
  }
}
