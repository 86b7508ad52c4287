import { addMessages } from '@crm/ui';

/** The runtime app's own texts (namespace `web`). */
export const WEB = 'web';

addMessages(WEB, {
  en: {
    home: 'Home',
    inbox: 'Inbox',
    modules: 'Modules',
    noModules: 'No module is published yet',
    inboxSoon: 'Approvals waiting for you will be listed here.',
    record: { placeholder: 'Record {{id}}', newTitle: 'New {{module}}' },
  },
  'zh-CN': {
    home: '首页',
    inbox: '待办',
    modules: '模块',
    noModules: '还没有发布任何模块',
    inboxSoon: '等待您处理的审批将显示在这里。',
    record: { placeholder: '记录 {{id}}', newTitle: '新建{{module}}' },
  },
});
