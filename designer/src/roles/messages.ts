import { addMessages } from '@crm/ui';

/** The roles page's texts (namespace `roles`). */
export const ROLES = 'roles';

addMessages(ROLES, {
  en: {
    title: 'Roles',
    new: 'New role',
    none: 'No access',
    id: 'Role id',
    label: 'Name',
    save: 'Save role',
    saved: 'Role saved',
    failed: 'The role was not saved',
    delete: 'Delete',
    deleteConfirm: 'Delete this role? People holding it lose its rights.',
    module: 'Module',
    export: 'Export',
    fields: 'Fields',
    fieldRights: 'Field rights ({{count}})',
    fieldRightsOf: 'Field rights on {{module}}',
    fieldRightsHelp:
      'A field not set here is writable where the role may create or update, readable where it may only read.',
    field: 'Field',
    right: 'Right',
    operations: { read: 'Read', create: 'Create', update: 'Update', delete: 'Delete', share: 'Share', assign: 'Assign' },
    scopes: { own: 'Own', department: 'Department', department_tree: 'Department and below', all: 'All' },
    rights: { default: 'Default', none: 'Hidden', read: 'Read only', write: 'Read and write' },
  },
  'zh-CN': {
    title: '角色',
    new: '新建角色',
    none: '无权限',
    id: '角色 ID',
    label: '名称',
    save: '保存角色',
    saved: '角色已保存',
    failed: '角色未保存',
    delete: '删除',
    deleteConfirm: '删除此角色？拥有该角色的人员将失去相应权限。',
    module: '模块',
    export: '导出',
    fields: '字段',
    fieldRights: '字段权限（{{count}}）',
    fieldRightsOf: '{{module}} 的字段权限',
    fieldRightsHelp: '未设置的字段：角色可新建或修改时可写，只能查看时只读。',
    field: '字段',
    right: '权限',
    operations: { read: '查看', create: '新建', update: '修改', delete: '删除', share: '共享', assign: '转移' },
    scopes: { own: '本人', department: '本部门', department_tree: '本部门及下级', all: '全部' },
    rights: { default: '默认', none: '不可见', read: '只读', write: '可读写' },
  },
});
