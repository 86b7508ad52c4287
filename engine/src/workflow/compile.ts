import type { ModdleElement } from 'bpmn-moddle';
import { eventGatewayProblems } from './elements/event-based-gateway.ts';
import { elementKinds } from './elements/index.ts';
import { compileExpr, type Expr } from './expression.ts';
import type { CompileContext, FlowNode, ProcessGraph, SequenceFlow } from './model.ts';
import { lintProblem, type WorkflowProblem } from './problems.ts';
import { compileRecordBinding } from './record-binding.ts';

export interface CompiledDefinitions {
  processes: ProcessGraph[];
  problems: WorkflowProblem[];
}

export interface CompileOptions {
  /** Service task types (`zeebe:taskDefinition type`) the action registry knows. */
  isKnownJobType(type: string): boolean;
}

const ACTIVITY_TYPES = new Set([
  'userTask',
  'serviceTask',
  'manualTask',
  'receiveTask',
  'subProcess',
  'callActivity',
  'task',
]);

/**
 * Checks parsed BPMN definitions against the supported subset (what this interpreter and Zeebe both
 * run) and compiles each executable process into the graph the interpreter walks. Every problem is
 * reported with the id of its element; a definition with problems compiles to nothing.
 */
export function compileDefinitions(
  definitions: ModdleElement,
  /** The version the graphs are for (0 when only checking a diagram before deploying it). */
  version: number,
  options: CompileOptions,
): CompiledDefinitions {
  const problems: WorkflowProblem[] = [];
  const context = compileContext(problems, options);
  const processes: ProcessGraph[] = [];
  const roots = (definitions.rootElements ?? []).filter((root) => root.$type === 'bpmn:Process');
  if (roots.length === 0) {
    context.refuse('', 'no-process', {
      en: 'the document holds no process',
      'zh-CN': '文档中没有流程',
    });
  }
  for (const root of roots) {
    if (root.isExecutable === false) continue;
    const graph = compileProcess(root, version, context);
    if (graph) processes.push(graph);
  }
  if (roots.length > 0 && processes.length === 0 && problems.length === 0) {
    context.refuse('', 'no-executable-process', {
      en: 'no process is executable (isExecutable="true")',
      'zh-CN': '没有可执行的流程（isExecutable="true"）',
    });
  }
  return { processes: problems.length > 0 ? [] : processes, problems };
}

function compileContext(problems: WorkflowProblem[], options: CompileOptions): CompileContext {
  return {
    problems,
    isKnownJobType: options.isKnownJobType,
    extension(element, type) {
      return element.extensionElements?.values?.find((value) => value.$type === type);
    },
    expr(source, elementId, setting, feelOnly = false): Expr | undefined {
      if (source === undefined || source.trim() === '') return undefined;
      return compileExpr(source, elementId, setting, problems, feelOnly);
    },
    refuse(elementId, code, messages) {
      problems.push(lintProblem(elementId, code, messages));
    },
  };
}

function compileProcess(root: ModdleElement, version: number, context: CompileContext): ProcessGraph | null {
  const processId = root.id ?? '';
  if (!/^[A-Za-z_][\w.-]{0,99}$/.test(processId)) {
    context.refuse(processId, 'invalid-process-id', {
      en: 'a process id must start with a letter or _ and hold only letters, digits, _, - and . (at most 100)',
      'zh-CN': '流程 id 必须以字母或 _ 开头，只含字母、数字、_、- 和 .（最多 100 个）',
    });
    return null;
  }
  const nodes = new Map<string, FlowNode>();
  const before = context.problems.length;
  const record = compileRecordBinding(root, context);
  collectScope(root, null, nodes, context);
  checkStructure(nodes, context);
  computeInclusiveJoins(nodes);
  const starts = [...nodes.values()].filter((node) => node.type === 'startEvent' && node.scopeId === null);
  const noneStarts = starts.filter((node) => !node.timer && !node.message);
  if (starts.length === 0) {
    context.refuse(processId, 'no-start-event', {
      en: 'the process has no start event',
      'zh-CN': '流程没有开始事件',
    });
  }
  if (noneStarts.length > 1) {
    context.refuse(processId, 'several-none-starts', {
      en: 'a process may have only one start event without a trigger',
      'zh-CN': '一个流程只能有一个无触发的开始事件',
    });
  }
  if (context.problems.length > before) return null;
  return {
    processId,
    version,
    name: root.name ?? null,
    nodes,
    startId: noneStarts[0]?.id ?? null,
    eventStarts: starts.filter((node) => node.timer || node.message),
    record,
  };
}

/** Nodes and flows of one scope (the process or an embedded subprocess), recursively. */
function collectScope(
  container: ModdleElement,
  scopeId: string | null,
  nodes: Map<string, FlowNode>,
  context: CompileContext,
): void {
  const elements = container.flowElements ?? [];
  const flows: ModdleElement[] = [];
  for (const element of elements) {
    const id = element.id ?? '';
    if (element.$type === 'bpmn:SequenceFlow') {
      flows.push(element);
      continue;
    }
    if (element.$type === 'bpmn:DataObject' || element.$type === 'bpmn:DataObjectReference') continue;
    if (element.$type === 'bpmn:DataStoreReference') continue;
    const kind = elementKinds.get(element.$type);
    if (!kind) {
      context.refuse(id, 'unsupported-element', {
        en: `${element.$type.replace('bpmn:', '')} is not supported`,
        'zh-CN': `不支持 ${element.$type.replace('bpmn:', '')} 元素`,
      });
      continue;
    }
    if (nodes.has(id)) {
      context.refuse(id, 'duplicate-id', { en: 'the id is used twice', 'zh-CN': 'id 重复使用' });
      continue;
    }
    const node: FlowNode = {
      id,
      type: element.$type.slice('bpmn:'.length).replace(/^./, (c) => c.toLowerCase()),
      name: element.name ?? null,
      kind,
      scopeId,
      incoming: [],
      outgoing: [],
      defaultFlow: (element.default?.id as string | undefined) ?? null,
      inputs: [],
      outputs: [],
      boundaries: [],
      multi: null,
    };
    nodes.set(id, node);
    compileIoMapping(element, node, context);
    kind.compile(element, node, context);
    if (element.loopCharacteristics) compileMultiInstance(element, node, context);
    if (node.type === 'subProcess') collectScope(element, id, nodes, context);
  }
  // flows touching a refused element are not reported again
  const refused = new Set(elements.map((element) => element.id ?? '').filter((id) => !nodes.has(id)));
  for (const flow of flows) {
    if (refused.has(flow.sourceRef?.id ?? '') || refused.has(flow.targetRef?.id ?? '')) continue;
    compileFlow(flow, nodes, context);
  }
  for (const node of nodes.values()) {
    if (node.scopeId !== scopeId || node.type !== 'boundaryEvent' || !node.attachedTo) continue;
    const host = nodes.get(node.attachedTo);
    if (!host || !ACTIVITY_TYPES.has(host.type)) {
      context.refuse(node.id, 'boundary-host', {
        en: 'a boundary event must be attached to a task, subprocess or call activity',
        'zh-CN': '边界事件必须附加在任务、子流程或调用活动上',
      });
      continue;
    }
    host.boundaries.push(node.id);
  }
}

function compileFlow(flow: ModdleElement, nodes: Map<string, FlowNode>, context: CompileContext): void {
  const id = flow.id ?? '';
  const source = nodes.get(flow.sourceRef?.id ?? '');
  const target = nodes.get(flow.targetRef?.id ?? '');
  if (!source || !target) {
    context.refuse(id, 'dangling-flow', {
      en: 'the sequence flow must connect two elements of the same (sub)process',
      'zh-CN': '顺序流必须连接同一（子）流程中的两个元素',
    });
    return;
  }
  const conditionSource = flow.conditionExpression?.body;
  let condition: Expr | null = null;
  if (conditionSource !== undefined && conditionSource.trim() !== '') {
    if (source.type !== 'exclusiveGateway' && source.type !== 'inclusiveGateway') {
      context.refuse(id, 'condition-not-on-gateway', {
        en: 'only flows leaving an exclusive or inclusive gateway may have a condition',
        'zh-CN': '只有离开排他网关或包容网关的顺序流可以带条件',
      });
    }
    condition = context.expr(conditionSource, id, 'condition', true) ?? null;
  }
  const compiled: SequenceFlow = { id, source: source.id, target: target.id, condition };
  source.outgoing.push(compiled);
  target.incoming.push(id);
}

function compileIoMapping(element: ModdleElement, node: FlowNode, context: CompileContext): void {
  const mapping = context.extension(element, 'zeebe:IoMapping');
  if (!mapping) return;
  const read = (list: unknown, into: FlowNode['inputs'], setting: string) => {
    for (const parameter of (list as ModdleElement[] | undefined) ?? []) {
      const target = String(parameter.target ?? '');
      if (!/^[A-Za-z_][\w]*$/.test(target)) {
        context.refuse(node.id, 'invalid-mapping-target', {
          en: `${setting} target '${target}' must be a variable name (letters, digits, _)`,
          'zh-CN': `${setting} 的目标 '${target}' 必须是变量名（字母、数字、_）`,
        });
        continue;
      }
      const source = context.expr(String(parameter.source ?? '=null'), node.id, setting, true);
      if (source) into.push({ source, target });
    }
  };
  read(mapping.inputParameters, node.inputs, 'input');
  read(mapping.outputParameters, node.outputs, 'output');
}

function compileMultiInstance(element: ModdleElement, node: FlowNode, context: CompileContext): void {
  const loop = element.loopCharacteristics as ModdleElement;
  if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
    context.refuse(node.id, 'unsupported-loop', {
      en: 'standard loops are not supported; use multi-instance',
      'zh-CN': '不支持标准循环，请使用多实例',
    });
    return;
  }
  const settings = context.extension(loop, 'zeebe:LoopCharacteristics');
  const inputCollection = context.expr(
    settings?.inputCollection as string | undefined,
    node.id,
    'inputCollection',
    true,
  );
  if (!inputCollection) {
    if (!context.problems.some((problem) => problem.elementId === node.id)) {
      context.refuse(node.id, 'missing-input-collection', {
        en: 'a multi-instance activity needs zeebe:loopCharacteristics inputCollection',
        'zh-CN': '多实例活动需要 zeebe:loopCharacteristics 的 inputCollection',
      });
    }
    return;
  }
  const outputCollection = (settings?.outputCollection as string | undefined) ?? null;
  const outputElement = context.expr(
    settings?.outputElement as string | undefined,
    node.id,
    'outputElement',
    true,
  );
  if (outputCollection && !outputElement) {
    context.refuse(node.id, 'missing-output-element', {
      en: 'outputCollection needs outputElement',
      'zh-CN': 'outputCollection 需要 outputElement',
    });
  }
  node.multi = {
    sequential: loop.isSequential === true,
    inputCollection,
    inputElement: (settings?.inputElement as string | undefined) ?? null,
    outputCollection,
    outputElement: outputElement ?? null,
    completion: context.expr(loop.completionCondition?.body, node.id, 'completionCondition', true) ?? null,
  };
}

/** Checks that need the whole graph: flows in and out of each element. */
function checkStructure(nodes: Map<string, FlowNode>, context: CompileContext): void {
  eventGatewayProblems(nodes, context.refuse);
  for (const node of nodes.values()) {
    if ((node.type === 'startEvent' || node.type === 'boundaryEvent') && node.incoming.length > 0) {
      context.refuse(node.id, 'incoming-on-start', {
        en: 'a start or boundary event cannot have incoming flows',
        'zh-CN': '开始事件或边界事件不能有流入的顺序流',
      });
    }
    if (node.type === 'endEvent' && node.outgoing.length > 0) {
      context.refuse(node.id, 'outgoing-on-end', {
        en: 'an end event cannot have outgoing flows',
        'zh-CN': '结束事件不能有流出的顺序流',
      });
    }
    if (node.type !== 'endEvent' && node.type !== 'startEvent' && node.type !== 'boundaryEvent') {
      if (node.incoming.length === 0) {
        context.refuse(node.id, 'unreachable', {
          en: 'the element has no incoming flow, so it can never run',
          'zh-CN': '该元素没有流入的顺序流，永远不会执行',
        });
      }
    }
    if (node.defaultFlow && !node.outgoing.some((flow) => flow.id === node.defaultFlow)) {
      context.refuse(node.id, 'invalid-default-flow', {
        en: 'the default flow must be one of the outgoing flows',
        'zh-CN': '默认顺序流必须是流出的顺序流之一',
      });
    }
    if (node.type === 'exclusiveGateway' || node.type === 'inclusiveGateway') {
      if (node.outgoing.length > 1) {
        for (const flow of node.outgoing) {
          if (!flow.condition && flow.id !== node.defaultFlow) {
            context.refuse(flow.id, 'missing-condition', {
              en: 'a flow leaving a branching gateway needs a condition unless it is the default flow',
              'zh-CN': '离开分支网关的顺序流必须有条件，默认顺序流除外',
            });
          }
        }
      }
    }
  }
}

/**
 * For each inclusive gateway that joins, the nodes of its scope from which a token could still reach
 * it (through flows, and from an activity through its boundary events): a join waits while one does.
 */
function computeInclusiveJoins(nodes: Map<string, FlowNode>): void {
  const incomingOf = new Map<string, string[]>();
  for (const node of nodes.values()) {
    for (const flow of node.outgoing) {
      const list = incomingOf.get(flow.target) ?? [];
      list.push(node.id);
      incomingOf.set(flow.target, list);
    }
    if (node.attachedTo) {
      const list = incomingOf.get(node.id) ?? [];
      list.push(node.attachedTo);
      incomingOf.set(node.id, list);
    }
  }
  for (const join of nodes.values()) {
    if (join.type !== 'inclusiveGateway' || join.incoming.length < 2) continue;
    const seen = new Set<string>();
    const queue = [...(incomingOf.get(join.id) ?? [])];
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(incomingOf.get(id) ?? []));
    }
    join.reachableFrom = seen;
  }
}
