// bpmn-moddle 10 ships no types: the parts of its object model the workflow compiler reads.
declare module 'bpmn-moddle' {
  /** A parsed BPMN element; which properties are set depends on `$type`. */
  export interface ModdleElement {
    $type: string;
    id?: string;
    name?: string;
    body?: string;
    isExecutable?: boolean;
    rootElements?: ModdleElement[];
    flowElements?: ModdleElement[];
    sourceRef?: ModdleElement;
    targetRef?: ModdleElement;
    conditionExpression?: ModdleElement;
    default?: ModdleElement;
    eventDefinitions?: ModdleElement[];
    attachedToRef?: ModdleElement;
    cancelActivity?: boolean;
    triggeredByEvent?: boolean;
    loopCharacteristics?: ModdleElement;
    isSequential?: boolean;
    completionCondition?: ModdleElement;
    extensionElements?: { values?: ModdleElement[] };
    timeDuration?: ModdleElement;
    timeDate?: ModdleElement;
    timeCycle?: ModdleElement;
    messageRef?: ModdleElement;
    errorRef?: ModdleElement;
    errorCode?: string;
    calledElement?: string;
    [extension: string]: unknown;
  }

  export interface ParseResult {
    rootElement: ModdleElement;
    warnings: { message: string }[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<ParseResult>;
  }
}
