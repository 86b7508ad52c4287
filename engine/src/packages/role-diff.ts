import { OPERATIONS } from '../access/rights.ts';
import type { ModuleGrant, RoleDefinition } from '../access/role-definition.ts';
import { changedKeys, type PackageChange, text } from './changes.ts';

/** The readable differences between a stored role and the package's; `moduleName` names module ids. */
export function roleChanges(
  before: RoleDefinition,
  after: RoleDefinition,
  moduleName: (id: string) => string,
): PackageChange[] {
  const changes: PackageChange[] = [];
  const settings = changedKeys(
    before as unknown as Record<string, unknown>,
    after as unknown as Record<string, unknown>,
    ['id', 'modules'],
  );
  if (settings.length > 0) {
    changes.push({
      part: 'role',
      change: 'changed',
      settings,
      description: text(`Change ${settings.join(', ')}`, `修改 ${settings.join('、')}`),
    });
  }
  const moduleIds = [...new Set([...Object.keys(before.modules), ...Object.keys(after.modules)])].sort();
  for (const id of moduleIds) {
    changes.push(...grantChanges(moduleName(id), before.modules[id], after.modules[id]));
  }
  return changes;
}

const scopeText = (scope: string | null | undefined) => scope ?? 'none';

function grantChanges(
  module: string,
  before: ModuleGrant | undefined,
  after: ModuleGrant | undefined,
): PackageChange[] {
  const changes: PackageChange[] = [];
  for (const operation of OPERATIONS) {
    const from = before?.[operation] ?? null;
    const to = after?.[operation] ?? null;
    if (from === to) continue;
    changes.push({
      part: 'permission',
      change: from === null ? 'added' : to === null ? 'removed' : 'changed',
      name: `${module}.${operation}`,
      from,
      to,
      description: text(
        `${module}: ${operation} ${scopeText(from)} → ${scopeText(to)}`,
        `${module}：${operation} ${scopeText(from)} → ${scopeText(to)}`,
      ),
    });
  }
  const flags = [
    [
      'export',
      text(`${module}: may export`, `${module}：可导出`),
      text(`${module}: may no longer export`, `${module}：不再可导出`),
    ],
    [
      'claim',
      text(`${module}: may claim from the pool`, `${module}：可从公海领取`),
      text(`${module}: may no longer claim from the pool`, `${module}：不再可从公海领取`),
    ],
  ] as const;
  for (const [flag, granted, withdrawn] of flags) {
    const from = before?.[flag] === true;
    const to = after?.[flag] === true;
    if (from === to) continue;
    changes.push({
      part: 'permission',
      change: to ? 'added' : 'removed',
      name: `${module}.${flag}`,
      from,
      to,
      description: to ? granted : withdrawn,
    });
  }
  const fieldsBefore = before?.fields ?? {};
  const fieldsAfter = after?.fields ?? {};
  for (const field of [...new Set([...Object.keys(fieldsBefore), ...Object.keys(fieldsAfter)])].sort()) {
    const from = fieldsBefore[field] ?? null;
    const to = fieldsAfter[field] ?? null;
    if (from === to) continue;
    changes.push({
      part: 'field-right',
      change: from === null ? 'added' : to === null ? 'removed' : 'changed',
      name: `${module}.${field}`,
      from,
      to,
      description: text(
        `${module}.${field}: field right ${from ?? 'default'} → ${to ?? 'default'}`,
        `${module}.${field}：字段权限 ${from ?? '默认'} → ${to ?? '默认'}`,
      ),
    });
  }
  return changes;
}
