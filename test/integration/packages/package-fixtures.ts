// A small configuration with relations both ways (a cycle), rules, layouts and a role with field
// rights, built through the definition and role stores as an admin would.
import type { PackageFiles, Workspace } from '@crm/engine';
import { SYSTEM_ACTOR } from '@crm/engine';

export const ACCOUNT = {
  id: 'mod_pkg_account',
  name: 'account',
  label: { en: 'Account', 'zh-CN': '客户' },
  titleField: 'name',
  fields: [
    {
      id: 'fld_acc_name',
      name: 'name',
      type: 'text',
      label: { en: 'Name', 'zh-CN': '名称' },
      required: true,
      unique: true,
    },
    { id: 'fld_acc_budget', name: 'budget', type: 'money', label: { en: 'Budget', 'zh-CN': '预算' }, min: 0 },
    {
      id: 'fld_acc_main',
      name: 'main_contact',
      type: 'relation',
      label: { en: 'Main contact', 'zh-CN': '主要联系人' },
      target: 'mod_pkg_contact',
      onDelete: 'setNull',
    },
    { id: 'fld_acc_note', name: 'note', type: 'longText', label: { en: 'Note', 'zh-CN': '备注' } },
  ],
  rules: [
    {
      id: 'rule_acc_budget',
      expression: 'budget = null or budget < 1000000',
      fields: ['budget'],
      message: { en: 'Budget too large', 'zh-CN': '预算过大' },
    },
  ],
  layout: {
    sections: [
      {
        id: 'main',
        label: { en: 'Main', 'zh-CN': '基本' },
        columns: 2,
        fields: ['name', 'budget', 'main_contact'],
      },
      { id: 'more', fields: ['note'] },
    ],
  },
};

export const CONTACT = {
  id: 'mod_pkg_contact',
  name: 'contact',
  label: { en: 'Contact', 'zh-CN': '联系人' },
  fields: [
    {
      id: 'fld_con_name',
      name: 'name',
      type: 'text',
      label: { en: 'Name', 'zh-CN': '姓名' },
      required: true,
    },
    {
      id: 'fld_con_account',
      name: 'account',
      type: 'relation',
      label: { en: 'Account', 'zh-CN': '客户' },
      target: 'mod_pkg_account',
      inverse: { name: 'contacts', label: { en: 'Contacts', 'zh-CN': '联系人' } },
    },
    {
      id: 'fld_con_phone',
      name: 'phone',
      type: 'text',
      label: { en: 'Phone', 'zh-CN': '电话' },
      maxLength: 30,
    },
  ],
  rules: [
    {
      id: 'rule_con_reach',
      expression: 'phone != null',
      message: { en: 'Give a phone number', 'zh-CN': '请填写电话' },
    },
  ],
};

export const REP = {
  id: 'rep',
  label: { en: 'Sales rep', 'zh-CN': '销售代表' },
  modules: {
    mod_pkg_account: { read: 'all', create: 'own', update: 'own', export: true, fields: { budget: 'read' } },
    mod_pkg_contact: { read: 'own', create: 'own', update: 'own', delete: 'own' },
  },
};

/** Publishes the two modules (together: they point at each other) and creates the role. */
export async function buildConfiguration(workspace: Workspace): Promise<void> {
  await workspace.definitions.saveDraft(ACCOUNT);
  await workspace.definitions.saveDraft(CONTACT);
  await workspace.definitions.publish(['account', 'contact']);
  await workspace.access.roles.create(REP, SYSTEM_ACTOR);
}

/** The files with one JSON file changed by `change`, written as an export writes it. */
export function withJson(
  files: PackageFiles,
  path: string,
  change: (value: Record<string, unknown>) => void,
): PackageFiles {
  const value = JSON.parse(files[path]) as Record<string, unknown>;
  change(value);
  return { ...files, [path]: `${JSON.stringify(value, null, 2)}\n` };
}

export type Json = Record<string, unknown>;
export const fieldsOf = (module: Json) => module.fields as Json[];
