import { isUuid } from '../../identity/inputs.ts';
import { identityTables } from '../../identity/tables.ts';
import type { Db } from '../../storage/db.ts';
import { ApproverResolver, names } from '../approvals/resolve.ts';
import type { Variables } from '../expression.ts';

/** Who a notification goes to, as a notify task lists them (each a list, or text with commas). */
export interface RecipientRules {
  users?: unknown;
  roles?: unknown;
  /** Users whose department head (the nearest one above when their department has none) is a recipient. */
  departmentHeadOf?: unknown;
  /** User fields of the flow's record (`record`): the users they hold. */
  userFields?: unknown;
}

/**
 * The active users the rules name, deduplicated in order (users, role members, department heads, the
 * record's user fields), read through `db` (the job's transaction) with the approvers' own lookups.
 */
export async function resolveRecipients(
  db: Db,
  schema: string,
  rules: RecipientRules,
  variables: Variables,
): Promise<string[]> {
  const resolver = new ApproverResolver(identityTables(schema));
  const found: string[] = [];
  const add = (ids: string[]) => {
    for (const id of ids) if (!found.includes(id)) found.push(id);
  };
  add(await resolver.activeUsers(db, names(rules.users)));
  for (const role of names(rules.roles)) add(await resolver.roleMembers(db, role));
  for (const userId of names(rules.departmentHeadOf).filter(isUuid)) {
    add(await resolver.departmentHead(db, userId));
  }
  const record = (variables.record ?? {}) as Variables;
  for (const field of names(rules.userFields)) add(await resolver.activeUsers(db, names(record[field])));
  return found;
}
