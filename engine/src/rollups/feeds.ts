import type { CompiledField, CompiledModule } from '../compile/module.ts';
import { rollupSettings } from '../fields/rollup.ts';
import { compileSourceFilter, type RollupSource, resolveRollupSource } from './sources.ts';

/** A rollup as seen from the module whose records (or sub-table rows) it aggregates. */
export interface RollupFeed {
  /** The module holding the rollup. */
  target: CompiledModule;
  rollup: CompiledField;
  source: RollupSource;
  /** Fields of a source row whose change can change the rollup: the link, the aggregated field, the filter's. */
  relevant: string[];
  /** Fields of a sub-table row's record (its parent) the filter reads: changing them changes the rollup too. */
  parentRelevant: string[];
}

/**
 * Every published rollup, grouped by the id of the module its source rows belong to (`bySource`)
 * and by the id of the module holding it (`byTarget`).
 */
export function rollupFeeds(modules: CompiledModule[]): {
  bySource: Map<string, RollupFeed[]>;
  byTarget: Map<string, RollupFeed[]>;
} {
  const definitions = new Map(modules.map((m) => [m.id, m.definition]));
  const feeds = new Map<string, RollupFeed[]>();
  const byTarget = new Map<string, RollupFeed[]>();
  for (const target of modules) {
    for (const rollup of target.rollups) {
      const settings = rollupSettings(rollup.definition);
      const source = resolveRollupSource(target.definition, settings.over, definitions);
      if (!source) continue; // checked at publish; a source unpublished since leaves the values as they are
      const relevant = new Set<string>();
      let parentRelevant: string[] = [];
      if (source.link) relevant.add(source.link.name);
      if (settings.field) relevant.add(settings.field);
      if (settings.filter) {
        const compiled = compileSourceFilter(settings.filter, source);
        if (compiled.ok) {
          for (const name of compiled.references) relevant.add(name);
          parentRelevant = compiled.parentReferences;
        }
      }
      const feed = { target, rollup, source, relevant: [...relevant], parentRelevant };
      feeds.set(source.module.id, [...(feeds.get(source.module.id) ?? []), feed]);
      byTarget.set(target.id, [...(byTarget.get(target.id) ?? []), feed]);
    }
  }
  return { bySource: feeds, byTarget };
}
