import type { PluginFieldType } from '@crm/sdk';
import { USCC_MESSAGES, USCC_PATTERN, usccProblem } from './uscc.ts';

/**
 * `"type": "uscc"`: a text column holding the code; the form schema carries its shape (the
 * browser's validator checks it), the server also checks the check character at every write.
 */
export const usccFieldType: PluginFieldType = {
  type: 'uscc',
  label: { en: 'Unified social credit code', 'zh-CN': '统一社会信用代码' },
  settings: { properties: {} },
  widget: 'uscc',
  cell: 'uscc',
  feelType: () => 'string',
  columns: () => [{ suffix: '', sqlType: 'text' }],
  valueSchema: () => ({ type: 'string', minLength: 18, maxLength: 18, pattern: USCC_PATTERN }),
  validate(_field, value) {
    const problem = usccProblem(String(value));
    return problem ? { code: `uscc-${problem}`, messages: USCC_MESSAGES[problem] } : undefined;
  },
  filter: 'text',
  sortable: true,
};
