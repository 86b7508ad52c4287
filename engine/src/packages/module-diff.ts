import type {
  FieldDefinition,
  LayoutSection,
  ModuleDefinition,
  RuleDefinition,
} from '../definitions/types.ts';
import { changedKeys, matchById, type PackageChange, reordered, text } from './changes.ts';

/** The readable differences between a published module and the package's definition of it. */
export function moduleChanges(before: ModuleDefinition, after: ModuleDefinition): PackageChange[] {
  const changes: PackageChange[] = [];
  if (before.name !== after.name) {
    changes.push({
      part: 'module',
      change: 'renamed',
      from: before.name,
      to: after.name,
      description: text(
        `Rename module ${before.name} to ${after.name}`,
        `模块 ${before.name} 重命名为 ${after.name}`,
      ),
    });
  }
  const settings = changedKeys(
    before as unknown as Record<string, unknown>,
    after as unknown as Record<string, unknown>,
    ['id', 'name', 'fields', 'rules', 'layout'],
  );
  if (settings.length > 0) {
    changes.push({
      part: 'module',
      change: 'changed',
      settings,
      description: text(`Change ${settings.join(', ')}`, `修改 ${settings.join('、')}`),
    });
  }
  changes.push(...fieldChanges(before.fields, after.fields));
  changes.push(...ruleChanges(before.rules ?? [], after.rules ?? []));
  changes.push(...layoutChanges(before.layout?.sections ?? [], after.layout?.sections ?? []));
  return changes;
}

function fieldChanges(before: FieldDefinition[], after: FieldDefinition[]): PackageChange[] {
  const { added, removed, kept } = matchById(before, after);
  const changes: PackageChange[] = [];
  for (const field of added) {
    changes.push({
      part: 'field',
      change: 'added',
      name: field.name,
      to: field.type,
      description: text(`Add field ${field.name} (${field.type})`, `新增字段 ${field.name}（${field.type}）`),
    });
  }
  for (const field of removed) {
    changes.push({
      part: 'field',
      change: 'removed',
      name: field.name,
      from: field.type,
      description: text(
        `Remove field ${field.name} (its data is archived, not deleted)`,
        `移除字段 ${field.name}（数据归档保留，不会删除）`,
      ),
    });
  }
  for (const { before: old, after: field } of kept) {
    if (old.name !== field.name) {
      changes.push({
        part: 'field',
        change: 'renamed',
        name: field.name,
        from: old.name,
        to: field.name,
        description: text(
          `Rename field ${old.name} to ${field.name}`,
          `字段 ${old.name} 重命名为 ${field.name}`,
        ),
      });
    }
    if (old.type !== field.type) {
      changes.push({
        part: 'field',
        change: 'changed',
        name: field.name,
        settings: ['type'],
        from: old.type,
        to: field.type,
        description: text(
          `Change the type of field ${field.name} from ${old.type} to ${field.type}`,
          `字段 ${field.name} 的类型由 ${old.type} 改为 ${field.type}`,
        ),
      });
    }
    const settings = changedKeys(old, field, ['id', 'name', 'type']);
    if (settings.length > 0) {
      changes.push({
        part: 'field',
        change: 'changed',
        name: field.name,
        settings,
        description: text(
          `Change field ${field.name}: ${settings.join(', ')}`,
          `修改字段 ${field.name}：${settings.join('、')}`,
        ),
      });
    }
  }
  if (reordered(before, after)) {
    changes.push({
      part: 'fields',
      change: 'reordered',
      from: before.map((f) => f.name),
      to: after.map((f) => f.name),
      description: text('Reorder the fields', '调整字段顺序'),
    });
  }
  return changes;
}

function ruleChanges(before: RuleDefinition[], after: RuleDefinition[]): PackageChange[] {
  const { added, removed, kept } = matchById(before, after);
  const changes: PackageChange[] = [];
  for (const rule of added) {
    changes.push({
      part: 'rule',
      change: 'added',
      name: rule.id,
      to: rule.expression,
      description: text(`Add rule ${rule.id}: ${rule.expression}`, `新增规则 ${rule.id}：${rule.expression}`),
    });
  }
  for (const rule of removed) {
    changes.push({
      part: 'rule',
      change: 'removed',
      name: rule.id,
      from: rule.expression,
      description: text(
        `Remove rule ${rule.id}: ${rule.expression}`,
        `移除规则 ${rule.id}：${rule.expression}`,
      ),
    });
  }
  for (const { before: old, after: rule } of kept) {
    const settings = changedKeys(
      old as unknown as Record<string, unknown>,
      rule as unknown as Record<string, unknown>,
      ['id'],
    );
    if (settings.length === 0) continue;
    const expression = settings.includes('expression');
    changes.push({
      part: 'rule',
      change: 'changed',
      name: rule.id,
      settings,
      ...(expression ? { from: old.expression, to: rule.expression } : {}),
      description: expression
        ? text(
            `Change rule ${rule.id}: ${old.expression} → ${rule.expression}`,
            `修改规则 ${rule.id}：${old.expression} → ${rule.expression}`,
          )
        : text(
            `Change rule ${rule.id}: ${settings.join(', ')}`,
            `修改规则 ${rule.id}：${settings.join('、')}`,
          ),
    });
  }
  return changes;
}

function layoutChanges(before: LayoutSection[], after: LayoutSection[]): PackageChange[] {
  const { added, removed, kept } = matchById(before, after);
  const changes: PackageChange[] = [];
  for (const section of added) {
    changes.push({
      part: 'section',
      change: 'added',
      name: section.id,
      to: section.fields,
      description: text(
        `Add layout section ${section.id} (${section.fields.join(', ')})`,
        `新增布局分区 ${section.id}（${section.fields.join('、')}）`,
      ),
    });
  }
  for (const section of removed) {
    changes.push({
      part: 'section',
      change: 'removed',
      name: section.id,
      description: text(`Remove layout section ${section.id}`, `移除布局分区 ${section.id}`),
    });
  }
  for (const { before: old, after: section } of kept) {
    const settings = changedKeys(
      old as unknown as Record<string, unknown>,
      section as unknown as Record<string, unknown>,
      ['id'],
    );
    if (settings.length === 0) continue;
    changes.push({
      part: 'section',
      change: 'changed',
      name: section.id,
      settings,
      ...(settings.includes('fields') ? { from: old.fields, to: section.fields } : {}),
      description: text(
        `Change layout section ${section.id}: ${settings.join(', ')}`,
        `修改布局分区 ${section.id}：${settings.join('、')}`,
      ),
    });
  }
  if (reordered(before, after)) {
    changes.push({
      part: 'layout',
      change: 'reordered',
      from: before.map((s) => s.id),
      to: after.map((s) => s.id),
      description: text('Reorder the layout sections', '调整布局分区顺序'),
    });
  }
  return changes;
}
