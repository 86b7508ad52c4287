// The organisation and modules the access-control suites share: a five-level department tree,
// people in it, a customer module with sensitive fields and a deal module pointing at it.
import type { Actor, Operation, RoleDefinition, Scope } from '@crm/engine';
import type { EngineHandle } from './engines.ts';
import { type FixtureDepartment, type FixtureUser, organisation } from './org.ts';

export const customerDefinition = {
  id: 'mod_acl_customer',
  name: 'customer',
  label: { en: 'Customer', 'zh-CN': '客户' },
  fields: [
    { id: 'ac_name', name: 'name', type: 'text', label: { en: 'Name' }, required: true },
    { id: 'ac_phone', name: 'phone', type: 'text', label: { en: 'Phone' } },
    { id: 'ac_credit', name: 'credit', type: 'integer', label: { en: 'Credit' } },
    { id: 'ac_batch', name: 'batch', type: 'text', label: { en: 'Batch' }, indexed: true },
  ],
};

export const dealDefinition = {
  id: 'mod_acl_deal',
  name: 'deal',
  label: { en: 'Deal', 'zh-CN': '商机' },
  fields: [
    { id: 'ad_title', name: 'title', type: 'text', label: { en: 'Title' }, required: true },
    {
      id: 'ad_customer',
      name: 'customer',
      type: 'relation',
      label: { en: 'Customer' },
      target: 'mod_acl_customer',
      inverse: { name: 'deals', label: { en: 'Deals' } },
    },
    { id: 'ad_amount', name: 'amount', type: 'integer', label: { en: 'Amount' } },
  ],
};

/** The tree: root › sales › east › shanghai › team, with west beside east and finance beside sales. */
export interface Tree {
  root: FixtureDepartment;
  sales: FixtureDepartment;
  east: FixtureDepartment;
  shanghai: FixtureDepartment;
  team: FixtureDepartment;
  west: FixtureDepartment;
  finance: FixtureDepartment;
}

export async function buildTree(handle: EngineHandle): Promise<Tree> {
  const org = organisation(handle);
  const root = await org.department('Company');
  const sales = await org.department('Sales', root);
  const east = await org.department('East', sales);
  const shanghai = await org.department('Shanghai', east);
  const team = await org.department('Team A', shanghai);
  const west = await org.department('West', sales);
  const finance = await org.department('Finance', root);
  return { root, sales, east, shanghai, team, west, finance };
}

export const actorOf = (user: FixtureUser): Actor => ({ userId: user.id });

/** A role granting `operations` on a module within `scope` (and `extra` on top). */
export function role(
  id: string,
  moduleId: string,
  grant: Partial<RoleDefinition['modules'][string]>,
): RoleDefinition {
  return { id, label: { en: id, 'zh-CN': id }, modules: { [moduleId]: grant } };
}

/** Whether `owner` falls within `scope` of a user in `department` (the model the SQL must match). */
export function inScope(
  scope: Scope | null,
  actor: FixtureUser,
  owner: FixtureUser | null,
  departments: ReadonlyMap<string, FixtureDepartment>,
): boolean {
  if (scope === null || owner === null) return scope === 'all';
  if (scope === 'all') return true;
  if (scope === 'own' || actor.departmentId === null) return owner.id === actor.id;
  if (scope === 'department') return owner.departmentId === actor.departmentId;
  const mine = departments.get(actor.departmentId);
  const theirs = owner.departmentId ? departments.get(owner.departmentId) : undefined;
  return mine !== undefined && theirs?.path.startsWith(mine.path) === true;
}

export type { Operation, Scope };
