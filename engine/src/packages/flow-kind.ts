import { sql } from 'drizzle-orm';
import { EngineError, type Problem } from '../errors.ts';
import type { Db } from '../storage/db.ts';
import type { WorkflowService } from '../workflow/service.ts';
import { text } from './changes.ts';
import { fileProblem, inFile } from './format.ts';
import type { PackageKind } from './kinds.ts';

const BPMN_FILE = /^flows\/([A-Za-z_][\w.-]{0,127})\.bpmn$/;

/**
 * Workflow and approval definitions: `flows/<process id>.bpmn`, the latest deployed version of
 * each process as deployed (its XML is the diffable file). Importing a changed file deploys a new
 * version; running instances stay on theirs. Deployed versions are never removed by an import.
 */
export function flowKind(workflows: WorkflowService): PackageKind<string> {
  return {
    folder: 'flows',
    label: { en: 'flow', 'zh-CN': '流程' },

    read(files) {
      const problems: Problem[] = [];
      const items = files.flatMap(([path, xml]) => {
        const match = BPMN_FILE.exec(path);
        if (!match) {
          problems.push(
            fileProblem(path, 'flow-file', {
              en: `${path}: the flows folder holds BPMN files named <process id>.bpmn`,
              'zh-CN': `${path}：flows 文件夹只能存放以流程 id 命名的 .bpmn 文件`,
            }),
          );
          return [];
        }
        return [{ id: match[1], name: match[1], file: path, value: xml as unknown }];
      });
      return { items, problems };
    },

    prepare: (value) => ({ value: String(value), problems: [] }),

    async current(tx: Db) {
      const rows = await tx.query<{ process_id: string; xml: string }>(
        sql`SELECT DISTINCT ON (process_id) process_id, xml FROM ${workflows.tables.definitions}
            ORDER BY process_id, version DESC`,
      );
      return rows.map((row) => ({
        id: row.process_id,
        name: row.process_id,
        file: `flows/${row.process_id}.bpmn`,
        value: row.xml,
      }));
    },

    write: (item) => ({ [`flows/${item.id}.bpmn`]: item.value }),

    changes: (before, after) =>
      before === after
        ? []
        : [
            {
              part: 'flow',
              change: 'changed',
              description: text('a new version of the diagram', '流程图的新版本'),
            },
          ],

    async apply(ctx, updates) {
      const problems: Problem[] = [];
      // a preview has not published the package's modules: bindings are checked against them
      const modulesAfter = new Map([...ctx.modulesAfter.values()].map((module) => [module.name, module]));
      for (const { item } of updates) {
        try {
          // a preview deploys too: the caller rolls the whole import back
          await workflows.deploy(item.value, ctx.actor, ctx.tx, modulesAfter);
        } catch (error) {
          if (!(error instanceof EngineError)) throw error;
          problems.push(...error.problems.map((p) => inFile(item.file, p)));
        }
      }
      return { steps: [], problems };
    },
  };
}
