import { definePlugin } from '@crm/sdk';
import { chatNotifyAction } from './chat-notify.ts';
import { usccFieldType } from './field-type.ts';
import { usccCheckCharacter, usccProblem } from './uscc.ts';

/**
 * The example plugin: a field type for the unified social credit code, a chat robot notification
 * for workflows, and a route that checks a code (`GET /api/plugins/uscc/check/{code}`).
 */
export default definePlugin({
  name: 'uscc',
  version: '1.0.0',
  label: { en: 'China company codes and chat robots', 'zh-CN': '统一社会信用代码与群机器人' },
  fieldTypes: [usccFieldType],
  actions: [chatNotifyAction],
  routes(app) {
    app.get('/check/:code', (c) => {
      const code = c.req.param('code').toUpperCase();
      const problem = usccProblem(code);
      return c.json({
        code,
        valid: problem === undefined,
        ...(problem === 'check' ? { expectedCheckCharacter: usccCheckCharacter(code.slice(0, 17)) } : {}),
      });
    });
  },
});

export { type ChatFlavor, chatRequest } from './chat-notify.ts';
export { USCC_ALPHABET, USCC_PATTERN, usccCheckCharacter, usccProblem } from './uscc.ts';
