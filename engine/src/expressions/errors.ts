import type { FeelProblem } from './types.ts';

/** Thrown by `compileFeel` for an expression with problems; lists every one of them. */
export class FeelCompileError extends Error {
  readonly problems: FeelProblem[];
  readonly source: string;

  constructor(source: string, problems: FeelProblem[]) {
    super(`Invalid FEEL expression ${JSON.stringify(source)}: ${summarize(problems)}`);
    this.name = 'FeelCompileError';
    this.source = source;
    this.problems = problems;
  }
}

function summarize(problems: FeelProblem[]): string {
  if (problems.length === 0) return 'it could not be compiled';
  return problems.map((problem) => `${problem.message} (at ${problem.from}-${problem.to})`).join('; ');
}
