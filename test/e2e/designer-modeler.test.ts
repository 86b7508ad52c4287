// The workflow modeler in a real browser: load a deployed two-step flow, make both user tasks
// approvals (department head, then everyone of a role) with the CRM panel, see the lint mark what the
// engine cannot run, and deploy a new version.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { useWebServer } from '../support/browser.ts';
import { choose, messageShown } from '../support/web-steps.ts';

const web = useWebServer();

const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="defs_discount" targetNamespace="https://crm.test">
  <bpmn:process id="discount_approval" name="Discount approval" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="manager" name="Manager"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="director" name="Director"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:userTask>
    <bpmn:serviceTask id="notify" name="Record it">
      <bpmn:extensionElements><zeebe:taskDefinition type="set-variables" /></bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="manager" />
    <bpmn:sequenceFlow id="f2" sourceRef="manager" targetRef="director" />
    <bpmn:sequenceFlow id="f3" sourceRef="director" targetRef="notify" />
    <bpmn:sequenceFlow id="f4" sourceRef="notify" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="p" bpmnElement="discount_approval">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="manager_di" bpmnElement="manager"><dc:Bounds x="190" y="78" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="director_di" bpmnElement="director"><dc:Bounds x="340" y="78" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="notify_di" bpmnElement="notify"><dc:Bounds x="490" y="78" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="640" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="190" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="290" y="118" /><di:waypoint x="340" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="440" y="118" /><di:waypoint x="490" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f4_di" bpmnElement="f4"><di:waypoint x="590" y="118" /><di:waypoint x="640" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

async function selectElement(page: Page, id: string) {
  await page.locator(`[data-element-id="${id}"]`).first().click();
  await page.getByTestId('crm-panel').getByText(id, { exact: false }).first().waitFor();
}

describe('the workflow modeler', () => {
  it('loads a flow, makes a two-level approval of it, lints it and deploys a new version', async () => {
    const api = apiClient(web.handle);
    const first = await api.send('POST', '/api/workflows/definitions', undefined, {
      raw: FLOW,
      headers: { 'content-type': 'application/xml' },
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);

    const page = await web.loggedInPage('/');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/designer/workflows');
    await page.getByText('Discount approval').click();
    await page.getByTestId('modeler-page').waitFor();
    await page.locator('[data-element-id="manager"]').first().waitFor();

    // the process is about customer records
    await choose(page, 'crm-record-module', 'Customer (customer)');

    // level 1: the submitter's department head
    await selectElement(page, 'manager');
    await page.getByTestId('make-approval').click();
    await page.getByTestId('approval-form').waitFor();

    // level 2: every holder of a role must approve (会签)
    await selectElement(page, 'director');
    await page.getByTestId('make-approval').click();
    await choose(page, 'approval-mode', 'Everyone (会签)');

    // a service task with an action the engine does not know is marked by the lint
    await selectElement(page, 'notify');
    await page.getByTestId('service-action').waitFor();
    await page.getByTestId('lint').click();
    await messageShown(page, 'The engine can run this diagram');
    await web.screenshot(page, 'modeler');

    await page.getByTestId('deploy').click();
    await messageShown(page, 'Deployed as version 2');

    const versions = await api.get<{ version: number; xml: string }[]>(
      '/api/workflows/definitions/discount_approval/versions',
    );
    const latest = versions.body.find((v) => v.version === Math.max(...versions.body.map((x) => x.version)));
    expect(latest?.version).toBe(2);
    expect(latest?.xml).toMatch(/<crm:record module="customer"/);
    expect(latest?.xml.match(/<crm:approval /g)?.length, latest?.xml).toBe(2);
    expect(latest?.xml).toContain('mode="all"');
    expect(latest?.xml).toMatch(/<crm:approvers source="departmentHead" of="submitter"/);
    expect(errors).toEqual([]);
  });

  it('marks the elements the engine cannot run and refuses to deploy them', async () => {
    const page = await web.loggedInPage('/');
    await page.goto('/designer/workflows/discount_approval');
    await page.locator('[data-element-id="notify"]').first().waitFor();
    await selectElement(page, 'notify');
    // the palette of registered actions appends a service task running one
    await page.getByTestId('append-update-record').click();
    await page.getByTestId('crm-panel').getByText('Update a record (update-record)').waitFor();
    await selectElement(page, 'notify');
    // the Zeebe properties panel: a task type no registered action has
    await page.locator('[data-group-id="group-taskDefinition"] .bio-properties-panel-group-header').click();
    await page.locator('#bio-properties-panel-taskDefinitionType').fill('no-such-action');
    await page.getByTestId('crm-panel').getByText('No registered action has this type').waitFor();
    await page.getByTestId('lint').click();
    await page
      .getByTestId('lint-problems')
      .getByText("notify: no action is registered for the task type 'no-such-action'")
      .waitFor();
    await page.locator('[data-element-id="notify"].crm-lint-error').waitFor();
    await web.screenshot(page, 'lint');
    await page.getByTestId('deploy').click();
    await page.getByTestId('lint-problems').waitFor();
    const versions = await apiClient(web.handle).get<{ version: number }[]>(
      '/api/workflows/definitions/discount_approval/versions',
    );
    expect(versions.body.map((v) => v.version)).toEqual([1, 2]);
  });
  it('speaks Chinese in 中文: palette, context pad, replace menu and the properties panel, keeping the edits', async () => {
    const page = await web.loggedInPage('/');
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/designer/workflows/discount_approval');
    await page.locator('[data-element-id="notify"]').first().waitFor();
    // the palette's entries are named (aria-label) by their tooltip texts
    const palette = page.locator('.djs-palette');
    await palette.getByRole('button', { name: 'Create start event', exact: true }).waitFor();
    // an edit before the switch: the manager task gets a new name in the properties panel
    await selectElement(page, 'manager');
    const general = page.locator('[data-group-id="group-general"]');
    const name = page.locator('#bio-properties-panel-name');
    if (!(await name.isVisible())) await general.locator('.bio-properties-panel-group-header').click();
    await name.fill('Sales manager');

    await page.getByTestId('language-switch').click();
    await page.getByRole('menuitem', { name: '中文' }).click();
    await palette.getByRole('button', { name: '创建开始事件', exact: true }).waitFor();
    await palette.getByRole('button', { name: '创建任务', exact: true }).waitFor();
    await palette.getByRole('button', { name: '创建网关', exact: true }).waitFor();

    // the edit survived the new language; the panel's header and groups are Chinese
    await page.locator('[data-element-id="manager"]').first().click();
    await page.getByTestId('crm-panel').getByText('CRM 设置 · manager').waitFor();
    const panel = page.locator('.crm-properties-panel');
    await panel.locator('.bio-properties-panel-header-type').getByText('用户任务').waitFor();
    await panel
      .locator('[data-group-id="group-general"] .bio-properties-panel-group-header-title')
      .getByText('常规')
      .waitFor();
    if (!(await name.isVisible())) await general.locator('.bio-properties-panel-group-header').click();
    await panel
      .locator('label[for="bio-properties-panel-name"]')
      .getByText('名称', { exact: true })
      .waitFor();
    expect(await name.inputValue()).toBe('Sales manager');
    await page.locator('.djs-context-pad [data-action="append.append-task"][title="追加任务"]').waitFor();
    await page.locator('.djs-context-pad [data-action="replace"]').click();
    const menu = page.locator('.djs-popup');
    await menu.getByText('服务任务', { exact: true }).waitFor();
    await web.screenshot(page, 'zh-CN');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});
