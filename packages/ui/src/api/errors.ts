import type { Locale } from '../i18n/i18n.ts';

/** One invalid thing in a request, located by a JSON pointer into what was sent (`/fields/2/name`). */
export interface ApiProblem {
  pointer: string;
  code: string;
  detail: string;
  messages?: Partial<Record<string, string>>;
}

/** An RFC 9457 problem document as the API sends it (application/problem+json). */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ApiProblem[];
  [extension: string]: unknown;
}

/** A failed API call: the problem document's parts, or status 0 when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly problems: ApiProblem[];
  readonly document: ProblemDocument | undefined;

  constructor(status: number, document: ProblemDocument | undefined, fallback: string) {
    super(document?.detail ?? fallback);
    this.name = 'ApiError';
    this.status = status;
    this.document = document;
    this.type =
      document?.type ?? (status === 0 ? 'urn:crm:problem:network' : `urn:crm:problem:http-${status}`);
    this.title = document?.title ?? fallback;
    this.problems = document?.errors ?? [];
  }

  /** The problem kind (`invalid-record`, `conflict`…) from the type URN. */
  get kind(): string {
    return this.type.replace(/^urn:crm:problem:/, '');
  }

  /** The problems at `pointer` or below it. */
  problemsAt(pointer: string): ApiProblem[] {
    return this.problems.filter((p) => p.pointer === pointer || p.pointer.startsWith(`${pointer}/`));
  }
}

/** A problem's text in `locale` (the API sends en and zh-CN for most), else its English detail. */
export function problemMessage(problem: ApiProblem, locale: Locale): string {
  return problem.messages?.[locale] ?? problem.detail;
}

/** The text to show for any failure: the first problem's localized message, else the error's. */
export function errorMessage(error: unknown, locale: Locale): string {
  if (error instanceof ApiError) {
    const first = error.problems[0];
    if (first?.messages?.[locale]) return problemMessage(first, locale);
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
