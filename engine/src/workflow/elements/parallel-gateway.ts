import type { ElementKind } from '../model.ts';

/** Parallel gateway: joins one token from each incoming flow, then forks along every outgoing flow. */
export const parallelGateway: ElementKind = {
  types: ['bpmn:ParallelGateway'],
  compile() {},
  enter(run, token, node) {
    if (node.incoming.length > 1) {
      token.state = 'joining';
      const waiting = run
        .childrenOf(token.parentId)
        .filter((other) => other.elementId === node.id && other.state === 'joining');
      const byFlow = new Map<string, typeof token>();
      for (const other of waiting) {
        const flow = other.data.flow ?? '';
        if (!byFlow.has(flow)) byFlow.set(flow, other);
      }
      if (!node.incoming.every((flow) => byFlow.has(flow))) return;
      for (const arrived of byFlow.values()) if (arrived !== token) run.endTokenQuietly(arrived);
    }
    run.record('element-completed', node.id);
    run.take(token, node.outgoing);
  },
};
