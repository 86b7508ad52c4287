import { approvalTypes } from './approvals/descriptor.ts';

/**
 * The `crm:` moddle extension: settings of this CRM that Zeebe has no attribute for (approvals on
 * user tasks, the record a process is about), always child elements of `bpmn:extensionElements`.
 */
export const crmDescriptor = {
  name: 'CRM',
  uri: 'https://crm-builder.dev/schema/bpmn/1.0',
  prefix: 'crm',
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  types: [...approvalTypes],
};
