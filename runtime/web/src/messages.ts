import { addMessages } from '@crm/ui';

/** The runtime app's own texts (namespace `web`). */
export const WEB = 'web';

addMessages(WEB, {
  en: {
    home: 'Home',
    welcome: 'Welcome, {{name}}',
    myTasks: 'My pending tasks',
    noTasks: 'Nothing waiting for you',
    recent: 'My recent records',
    noRecent: 'Records you change show up here',
    notices: 'Notices',
    noNotices: 'No notices',
    inbox: 'Inbox',
    modules: 'Modules',
    noModules: 'No module is published yet',
    record: { placeholder: 'Record {{id}}', newTitle: 'New {{module}}' },
  },
  'zh-CN': {
    home: '首页',
    welcome: '欢迎，{{name}}',
    myTasks: '我的待办',
    noTasks: '暂无待办事项',
    recent: '最近修改的记录',
    noRecent: '您修改过的记录会显示在这里',
    notices: '通知',
    noNotices: '暂无通知',
    inbox: '待办',
    modules: '模块',
    noModules: '还没有发布任何模块',
    record: { placeholder: '记录 {{id}}', newTitle: '新建{{module}}' },
  },
});
