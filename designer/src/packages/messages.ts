import { addMessages } from '@crm/ui';

/** The app packages page's texts (namespace `packages`). */
export const PACKAGES = 'packages';

addMessages(PACKAGES, {
  en: {
    export: {
      title: 'Export the configuration',
      help: 'Modules, roles and workflows as an app package (a zip of readable files); no records.',
      name: 'Package name (optional)',
      button: 'Download package',
    },
    import: {
      title: 'Import a package',
      choose: 'Choose a package (.zip)…',
      failed: 'The package cannot be imported',
      installed: 'installed now: {{name}} {{version}}',
      replacesDraft: 'replaces the unpublished draft',
      untouched: 'Left as they are (not in the package): {{names}}',
      plan: 'Migration plan ({{count}} steps)',
      blocked: 'These problems stop the import',
      loss: 'Some values would be lost',
      confirmLoss: 'I understand: import anyway',
      apply: 'Import',
    },
    imported: 'Imported {{name}} {{version}}',
    status: { added: 'Added', changed: 'Changed', unchanged: 'Unchanged' },
    kinds: { modules: 'Module', roles: 'Role', flows: 'Workflow' },
  },
  'zh-CN': {
    export: {
      title: '导出配置',
      help: '将模块、角色和流程导出为应用包（包含可读文件的 zip），不含业务数据。',
      name: '包名称（可选）',
      button: '下载应用包',
    },
    import: {
      title: '导入应用包',
      choose: '选择应用包（.zip）…',
      failed: '无法导入此应用包',
      installed: '当前已安装：{{name}} {{version}}',
      replacesDraft: '将替换未发布的草稿',
      untouched: '保持不变（包中没有）：{{names}}',
      plan: '迁移计划（{{count}} 步）',
      blocked: '以下问题导致无法导入',
      loss: '部分数据将会丢失',
      confirmLoss: '我已了解，仍然导入',
      apply: '导入',
    },
    imported: '已导入 {{name}} {{version}}',
    status: { added: '新增', changed: '修改', unchanged: '未变' },
    kinds: { modules: '模块', roles: '角色', flows: '流程' },
  },
});
