import type { ElementKind } from '../model.ts';

/** Manual tasks and plain (untyped) tasks: done by someone outside the system, so they pass straight on. */
export const manualTask: ElementKind = {
  types: ['bpmn:ManualTask', 'bpmn:Task'],
  compile() {},
  enter(run, token) {
    run.leave(token);
  },
};
