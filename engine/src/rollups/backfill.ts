import type { CompiledModule } from '../compile/module.ts';
import type { FieldDefinition, ModuleDefinition } from '../definitions/types.ts';
import type { Db } from '../storage/db.ts';
import type { RollupFeed } from './feeds.ts';
import type { RollupUpkeep } from './maintain.ts';
import { resolveRollupSource } from './sources.ts';

/** The rollups of `after` that are new or whose settings changed since `before`. */
function changedRollups(before: ModuleDefinition | undefined, after: ModuleDefinition): FieldDefinition[] {
  return after.fields.filter((field) => {
    if (field.type !== 'rollup') return false;
    const old = before?.fields.find((f) => f.id === field.id);
    return !old || JSON.stringify(old) !== JSON.stringify(field);
  });
}

/**
 * At publish, inside its transaction and after the tables changed: every record's value of each new
 * or changed rollup, and the formulas reading it. Modules are filled in an order where a rollup over
 * another module's rollup comes after it (one pass per module, so chains settle).
 */
export async function backfillRollups(
  tx: Db,
  upkeep: RollupUpkeep,
  changes: { before?: ModuleDefinition; after: ModuleDefinition }[],
  modulesAfter: ReadonlyMap<string, ModuleDefinition>,
  compile: (definition: ModuleDefinition) => CompiledModule,
): Promise<void> {
  const work = changes
    .map(({ before, after }) => ({ after, rollups: changedRollups(before, after) }))
    .filter((w) => w.rollups.length > 0);
  for (let pass = 0; pass < work.length; pass++) {
    for (const { after, rollups } of work) {
      const module = compile(after);
      const feeds: RollupFeed[] = [];
      for (const definition of rollups) {
        const source = resolveRollupSource(after, String(definition.over), modulesAfter);
        const rollup = module.byName.get(definition.name);
        if (source && rollup)
          feeds.push({ target: module, rollup, source, relevant: [], parentRelevant: [] });
      }
      await upkeep.backfill(tx, module, feeds);
    }
  }
}
