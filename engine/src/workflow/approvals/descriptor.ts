/** The `crm:` moddle types of approval settings on a user task (see `settings.ts` for their meaning). */
const ruleProperties = [
  { name: 'source', isAttr: true, type: 'String' },
  { name: 'value', isAttr: true, type: 'String' },
  { name: 'of', isAttr: true, type: 'String' },
  { name: 'levels', isAttr: true, type: 'String' },
  { name: 'field', isAttr: true, type: 'String' },
];

export const approvalTypes = [
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
      { name: 'timeout', type: 'Timeout', isMany: true },
      { name: 'escalateTo', type: 'EscalateTo', isMany: true },
    ],
  },
  { name: 'Approvers', superClass: ['Element'], properties: ruleProperties },
  { name: 'Cc', superClass: ['Element'], properties: ruleProperties },
  { name: 'EscalateTo', superClass: ['Element'], properties: ruleProperties },
  {
    name: 'Timeout',
    superClass: ['Element'],
    properties: [
      { name: 'duration', isAttr: true, type: 'String' },
      { name: 'action', isAttr: true, type: 'String' },
    ],
  },
];
