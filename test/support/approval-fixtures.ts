// An organisation for approval suites: a sales department headed by dave, a reporting line
// alice → bob → carol, a finance role held by erin and frank, and an administrator. Made once per engine.
import type { Actor, Workspace } from '@crm/engine';
import { sql } from 'drizzle-orm';
import type { EngineHandle } from './engines.ts';
import { organisation } from './org.ts';

export interface ApprovalOrg {
  ids: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin' | 'frank' | 'admin' | 'gone', string>;
  as(name: keyof ApprovalOrg['ids']): Actor;
}

const made = new WeakMap<Workspace, Promise<ApprovalOrg>>();

export function approvalOrg(handle: EngineHandle): Promise<ApprovalOrg> {
  let org = made.get(handle.workspace);
  if (!org) {
    org = build(handle);
    made.set(handle.workspace, org);
  }
  return org;
}

async function build(handle: EngineHandle): Promise<ApprovalOrg> {
  const org = organisation(handle);
  const { workspace, engine } = handle;
  const table = (name: string) => sql.raw(`"${workspace.schema}"."${name}"`);
  const company = await org.department('Company');
  const sales = await org.department('Sales', company);
  const alice = await org.user('alice', { department: sales });
  const bob = await org.user('bob', { department: sales });
  const carol = await org.user('carol', { department: company });
  const dave = await org.user('dave', { department: sales });
  const erin = await org.user('erin', { department: company });
  const frank = await org.user('frank', { department: company });
  const admin = await org.user('admin', { admin: true });
  const gone = await org.user('gone', { department: sales, status: 'left' });
  await engine.db.run(sql`UPDATE ${table('_departments')} SET head_id = ${dave.id} WHERE id = ${sales.id}`);
  await engine.db.run(
    sql`UPDATE ${table('_departments')} SET head_id = ${carol.id} WHERE id = ${company.id}`,
  );
  await engine.db.run(sql`UPDATE ${table('_users')} SET manager_id = ${bob.id} WHERE id = ${alice.id}`);
  await engine.db.run(sql`UPDATE ${table('_users')} SET manager_id = ${carol.id} WHERE id = ${bob.id}`);
  await org.role({ id: 'finance', label: { en: 'Finance', 'zh-CN': '财务' }, modules: {} });
  await org.grant(erin, 'finance');
  await org.grant(frank, 'finance');
  const ids = {
    alice: alice.id,
    bob: bob.id,
    carol: carol.id,
    dave: dave.id,
    erin: erin.id,
    frank: frank.id,
    admin: admin.id,
    gone: gone.id,
  };
  return { ids, as: (name) => ({ userId: ids[name], via: 'session' }) };
}
