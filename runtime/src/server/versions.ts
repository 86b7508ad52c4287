import { isPlainObject } from './body.ts';
import { HttpProblem, httpProblem } from './problem.ts';

function versionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"(\d{1,9})"\s*$/.exec(header);
  if (!match) {
    throw new HttpProblem('invalid-header', 'If-Match must be one quoted record version, such as "3"', [
      { pointer: '', code: 'if-match', detail: `If-Match '${header}' is not one quoted record version` },
    ]);
  }
  return Number(match[1]);
}

function versionFromBody(body: unknown): number | undefined {
  if (!isPlainObject(body) || body.version === undefined || body.version === null) return undefined;
  const version = body.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw httpProblem(
      'invalid-record',
      '/version',
      'type',
      'must be the record version you last read (an integer from 1)',
    );
  }
  return version;
}

/** The version a write expects the record to be at: from `If-Match`, or a `version` property in the body. */
export function expectedVersion(ifMatch: string | undefined, body?: unknown): number | undefined {
  const fromHeader = versionFromIfMatch(ifMatch);
  const fromBody = versionFromBody(body);
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw httpProblem(
      'invalid-record',
      '/version',
      'mismatch',
      `differs from the If-Match header (${fromHeader})`,
    );
  }
  return fromHeader ?? fromBody;
}
