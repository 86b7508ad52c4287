// BPMN documents for tests: a process body (elements with the bpmn: prefix) in full definitions.

export function bpmn(processId: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:crm="https://crm-builder.dev/schema/bpmn/1.0"
  id="defs_${processId}" targetNamespace="http://crm.test">
  ${extra}
  <bpmn:process id="${processId}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** `a -> b` flows: each pair [id, source, target, condition?]. */
export function flows(...list: [string, string, string, string?][]): string {
  return list
    .map(([id, source, target, condition]) =>
      condition
        ? `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><bpmn:conditionExpression>${xmlEscape(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>`
        : `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`,
    )
    .join('\n');
}

export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A user task with candidate users (a FEEL list or a comma list). */
export function userTask(id: string, candidateUsers = '', extension = ''): string {
  const assignment = candidateUsers
    ? `<zeebe:assignmentDefinition candidateUsers="${xmlEscape(candidateUsers)}"/>`
    : '';
  return `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements>${assignment}${extension}</bpmn:extensionElements></bpmn:userTask>`;
}
