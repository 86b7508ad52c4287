/**
 * The `crm:` moddle extension: settings of this CRM that Zeebe has no attribute for. Approver rules
 * (who approves a user task, in which mode) will live here; the descriptor is registered now so
 * diagrams carrying `crm:` elements parse, and the lint decides what is supported.
 */
export const crmDescriptor = {
  name: 'CRM',
  uri: 'https://crm-builder.dev/schema/bpmn/1.0',
  prefix: 'crm',
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [
    {
      name: 'ApprovalDefinition',
      superClass: ['Element'],
      meta: { allowedIn: ['bpmn:UserTask'] },
      properties: [
        { name: 'mode', isAttr: true, type: 'String' },
        { name: 'approvers', isAttr: true, type: 'String' },
      ],
    },
  ],
};
