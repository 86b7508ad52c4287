// A process for the process-monitor tests, with its diagram (the monitor draws it): after the start a
// parallel fork to a webhook that cannot succeed and a user task, joined before the end. About records
// of `module`. The webhook's URL names the record (a fixed loopback URL would be refused at deploy)
// and points at loopback, which the server's outbound policy refuses to call: with one attempt, the
// first failure is an incident.

import { xmlEscape } from './bpmn.ts';

const shape = (id: string, x: number, y: number, width = 100, height = 80) =>
  `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${y}" width="${width}" height="${height}"/></bpmndi:BPMNShape>`;
const edge = (id: string, ...points: [number, number][]) =>
  `<bpmndi:BPMNEdge id="${id}_di" bpmnElement="${id}">${points.map(([x, y]) => `<di:waypoint x="${x}" y="${y}"/>`).join('')}</bpmndi:BPMNEdge>`;

/** The BPMN XML of process `processId` named `name`; `reviewers` is the user task's candidate users (FEEL). */
export function monitorFlow(processId: string, name: string, module: string, reviewers: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:crm="https://crm-builder.dev/schema/bpmn/1.0" id="defs_${processId}" targetNamespace="http://crm.test">
  <bpmn:process id="${processId}" name="${name}" isExecutable="true">
    <bpmn:extensionElements><crm:record module="${module}"/></bpmn:extensionElements>
    <bpmn:startEvent id="start" name="Submitted"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:serviceTask id="tell_erp" name="Tell the ERP">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="webhook" retries="1"/>
        <zeebe:ioMapping>
          <zeebe:input source="=&quot;http://127.0.0.1:1/orders/&quot; + record.id" target="url"/>
          <zeebe:input source="={ record: record.id }" target="body"/>
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:userTask id="review" name="Review">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateUsers="${xmlEscape(reviewers)}"/></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:parallelGateway id="join"/>
    <bpmn:endEvent id="done" name="Done"/>
    <bpmn:sequenceFlow id="f_start" sourceRef="start" targetRef="fork"/>
    <bpmn:sequenceFlow id="f_erp" sourceRef="fork" targetRef="tell_erp"/>
    <bpmn:sequenceFlow id="f_review" sourceRef="fork" targetRef="review"/>
    <bpmn:sequenceFlow id="f_erp_done" sourceRef="tell_erp" targetRef="join"/>
    <bpmn:sequenceFlow id="f_review_done" sourceRef="review" targetRef="join"/>
    <bpmn:sequenceFlow id="f_end" sourceRef="join" targetRef="done"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram_${processId}">
    <bpmndi:BPMNPlane id="plane_${processId}" bpmnElement="${processId}">
      ${shape('start', 152, 182, 36, 36)}
      ${shape('fork', 235, 175, 50, 50)}
      ${shape('tell_erp', 340, 80)}
      ${shape('review', 340, 240)}
      ${shape('join', 505, 175, 50, 50)}
      ${shape('done', 612, 182, 36, 36)}
      ${edge('f_start', [188, 200], [235, 200])}
      ${edge('f_erp', [260, 175], [260, 120], [340, 120])}
      ${edge('f_review', [260, 225], [260, 280], [340, 280])}
      ${edge('f_erp_done', [440, 120], [530, 120], [530, 175])}
      ${edge('f_review_done', [440, 280], [530, 280], [530, 225])}
      ${edge('f_end', [555, 200], [612, 200])}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
