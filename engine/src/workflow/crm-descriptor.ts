/**
 * The `crm:` moddle extension: settings of this CRM that Zeebe has no attribute for, always children
 * of `bpmn:extensionElements`:
 * - `crm:record` on a process: the module whose records the flow is about, record locking and the
 *   status field it keeps;
 * - `crm:trigger` on a start event: record created/updated/deleted, a manual button, the API;
 * - `crm:approval` on a user task: approver rules, mode, auto-approve, CC, timeout.
 * Property names equal the lower-cased type names, so child tags read and write the same way.
 */
const approverRule = [
  { name: 'source', isAttr: true, type: 'String' },
  { name: 'value', isAttr: true, type: 'String' },
  { name: 'of', isAttr: true, type: 'String' },
  { name: 'levels', isAttr: true, type: 'String' },
  { name: 'field', isAttr: true, type: 'String' },
];

export const crmDescriptor = {
  name: 'CRM',
  uri: 'https://crm-builder.dev/schema/bpmn/1.0',
  prefix: 'crm',
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'Record',
      superClass: ['Element'],
      meta: { allowedIn: ['bpmn:Process'] },
      properties: [
        { name: 'module', isAttr: true, type: 'String' },
        { name: 'lock', isAttr: true, type: 'Boolean' },
        { name: 'statusField', isAttr: true, type: 'String' },
        { name: 'pending', isAttr: true, type: 'String' },
        { name: 'approved', isAttr: true, type: 'String' },
        { name: 'rejected', isAttr: true, type: 'String' },
        { name: 'recalled', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'Trigger',
      superClass: ['Element'],
      meta: { allowedIn: ['bpmn:StartEvent'] },
      properties: [
        { name: 'on', isAttr: true, type: 'String' },
        { name: 'condition', isAttr: true, type: 'String' },
        { name: 'label', isAttr: true, type: 'String' },
        { name: 'labelZh', isAttr: true, type: 'String' },
      ],
    },
    {
      name: 'Approval',
      superClass: ['Element'],
      meta: { allowedIn: ['bpmn:UserTask'] },
      properties: [
        { name: 'mode', isAttr: true, type: 'String' },
        { name: 'ratio', isAttr: true, type: 'String' },
        { name: 'autoApprove', isAttr: true, type: 'String' },
        { name: 'onReject', isAttr: true, type: 'String' },
        { name: 'approvers', type: 'Approvers', isMany: true },
        { name: 'cc', type: 'Cc', isMany: true },
        { name: 'timeout', type: 'Timeout' },
        { name: 'escalateTo', type: 'EscalateTo', isMany: true },
      ],
    },
    { name: 'Approvers', superClass: ['Element'], properties: approverRule },
    { name: 'Cc', superClass: ['Element'], properties: approverRule },
    { name: 'EscalateTo', superClass: ['Element'], properties: approverRule },
    {
      name: 'Timeout',
      superClass: ['Element'],
      properties: [
        { name: 'duration', isAttr: true, type: 'String' },
        { name: 'action', isAttr: true, type: 'String' },
      ],
    },
  ],
};
