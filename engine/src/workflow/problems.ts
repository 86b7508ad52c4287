import { EngineError, type Problem, pointerOf } from '../errors.ts';

/** A problem with a diagram, located by the id of the element it concerns ('' for the whole document). */
export interface WorkflowProblem extends Problem {
  elementId: string;
}

export function lintProblem(
  elementId: string,
  code: string,
  messages: { en: string; 'zh-CN': string },
): WorkflowProblem {
  return {
    elementId,
    pointer: elementId ? pointerOf('elements', elementId) : '',
    code,
    message: elementId ? `${elementId}: ${messages.en}` : messages.en,
    messages: elementId
      ? { en: `${elementId}: ${messages.en}`, 'zh-CN': `${elementId}：${messages['zh-CN']}` }
      : messages,
  };
}

export function invalidDiagram(problems: WorkflowProblem[]): EngineError {
  const first = problems[0]?.message ?? 'invalid BPMN';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new EngineError('invalid-definition', `${first}${more}`, problems);
}
