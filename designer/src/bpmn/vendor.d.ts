// bpmn-js-properties-panel, camunda-bpmn-js-behaviors and zeebe-bpmn-moddle ship no type declarations.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: object;
  export const BpmnPropertiesProviderModule: object;
  export const ZeebePropertiesProviderModule: object;
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const behaviors: object;
  export default behaviors;
}
declare module 'zeebe-bpmn-moddle/resources/zeebe.json' {
  const descriptor: object;
  export default descriptor;
}
