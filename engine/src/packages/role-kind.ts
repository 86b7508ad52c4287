import { checkRole, roleShapeProblems } from '../access/role-check.ts';
import type { RoleDefinition } from '../access/role-definition.ts';
import type { RoleStore } from '../access/roles.ts';
import { EngineError, type Problem } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import { canonicalJson } from './canonical-json.ts';
import { inFile } from './format.ts';
import type { PackageKind } from './kinds.ts';
import { readJsonItems } from './read-json.ts';
import { roleChanges } from './role-diff.ts';

const WHAT = { en: 'role', 'zh-CN': '角色' };

/**
 * Roles: `roles/<id>.json`, each a permission matrix over the package's (or the workspace's)
 * modules. Who holds a role is the organisation's business and stays out of packages.
 */
export function roleKind(roles: RoleStore): PackageKind<RoleDefinition> {
  return {
    folder: 'roles',
    label: { en: 'role', 'zh-CN': '角色' },

    read(files) {
      const { read, problems } = readJsonItems('roles', files, WHAT);
      const items = read.map(({ path, value }) => ({
        id: value.id as string,
        name: value.id as string,
        file: path,
        value: value as unknown,
      }));
      return { items, problems };
    },

    prepare: (value) => ({ value: value as RoleDefinition, problems: roleShapeProblems(value) }),

    async current(tx: Db) {
      // listing checks nothing against modules
      const stored = await roles.within(tx, () => undefined).list();
      return stored.map(({ definition }) => ({
        id: definition.id,
        name: definition.id,
        file: `roles/${definition.id}.json`,
        value: definition,
      }));
    },

    write: (item) => ({ [`roles/${item.id}.json`]: canonicalJson(item.value) }),

    changes: roleChanges,

    async apply(ctx, updates) {
      const problems: Problem[] = [];
      const lookup = (id: string) => ctx.modulesAfter.get(id);
      for (const { item, before } of updates) {
        try {
          if (ctx.dryRun) {
            problems.push(...checkRole(item.value, lookup).map((p) => inFile(item.file, p)));
          } else if (before) {
            await ctx.roles.update(item.id, item.value, ctx.actor);
          } else {
            await ctx.roles.create(item.value, ctx.actor);
          }
        } catch (error) {
          if (!(error instanceof EngineError)) throw error;
          problems.push(...error.problems.map((p) => inFile(item.file, p)));
        }
      }
      return { steps: [], problems };
    },
  };
}
