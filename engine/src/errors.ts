/** One problem with an input, located by a JSON pointer into the thing that was checked. */
export interface Problem {
  /** JSON pointer (RFC 6901) to the offending value, '' for the whole document. */
  pointer: string;
  /** Machine-readable reason, e.g. 'required', 'maxLength', 'unique', 'rule'. */
  code: string;
  /** Human-readable reason, in English; localized messages go in `messages`. */
  message: string;
  messages?: Record<string, string>;
}

export type EngineErrorKind =
  | 'invalid-definition'
  | 'invalid-record'
  | 'invalid-query'
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'forbidden'
  | 'migration-refused'
  /** An upload larger than allowed. */
  | 'too-large'
  /** An upload whose content is not of a type allowed, or not what its name says. */
  | 'invalid-file'
  /** A record a workflow holds (in approval): users may not change or delete it until the flow ends. */
  | 'locked'
  /** A plugin's code threw (not a deliberate refusal); the write it took part in did not happen. */
  | 'plugin-failed';

/** Errors the engine raises for callers (HTTP maps `kind` to a status). Anything else is a bug. */
export class EngineError extends Error {
  constructor(
    readonly kind: EngineErrorKind,
    message: string,
    readonly problems: Problem[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export const notFound = (what: string) => new EngineError('not-found', `${what} not found`);

export function pointerOf(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** An error with one problem, its message in English and Chinese (`en` is also the error's message). */
export function localizedError(
  kind: EngineErrorKind,
  pointer: string,
  code: string,
  messages: { en: string; 'zh-CN': string },
): EngineError {
  return new EngineError(kind, messages.en, [{ pointer, code, message: messages.en, messages }]);
}
