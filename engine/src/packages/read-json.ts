import type { Problem } from '../errors.ts';
import { fileProblem, inFile } from './format.ts';

/** A package file's JSON object with a string `id`, or the problem that it is not one. */
export function readIdentifiedJson(
  path: string,
  text: string,
  what: { en: string; 'zh-CN': string },
): { value?: Record<string, unknown>; problem?: Problem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      problem: fileProblem(path, 'malformed-json', {
        en: `${path} is not valid JSON: ${reason}`,
        'zh-CN': `${path} 不是有效的 JSON：${reason}`,
      }),
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problem: fileProblem(path, 'type', {
        en: `${path} must hold one ${what.en} as a JSON object`,
        'zh-CN': `${path} 应包含一个${what['zh-CN']}（JSON 对象）`,
      }),
    };
  }
  const record = value as Record<string, unknown>;
  if (typeof record.id !== 'string' || record.id.length === 0) {
    return {
      problem: inFile(path, {
        pointer: '/id',
        code: 'required',
        message: `a package ${what.en} needs its stable id: imports match by id, so a rename stays a rename`,
        messages: {
          en: `a package ${what.en} needs its stable id: imports match by id, so a rename stays a rename`,
          'zh-CN': `应用包中的${what['zh-CN']}必须有稳定的 id：导入按 id 匹配，重命名才不会变成新建`,
        },
      }),
    };
  }
  return { value: record };
}

/** Files a one-file-per-item kind reads: `<folder>/<name>.json`, nothing nested, nothing else. */
export function readJsonItems(
  folder: string,
  files: [string, string][],
  what: { en: string; 'zh-CN': string },
): { read: { path: string; value: Record<string, unknown> }[]; problems: Problem[] } {
  const read: { path: string; value: Record<string, unknown> }[] = [];
  const problems: Problem[] = [];
  for (const [path, text] of files) {
    const rest = path.slice(folder.length + 1);
    if (rest.includes('/') || !rest.endsWith('.json')) {
      problems.push(
        fileProblem(path, 'unknown-file', {
          en: `${path}: the ${folder} folder holds only <name>.json files, one ${what.en} each`,
          'zh-CN': `${path}：${folder} 文件夹只能包含 <名称>.json 文件，每个文件一个${what['zh-CN']}`,
        }),
      );
      continue;
    }
    const { value, problem } = readIdentifiedJson(path, text, what);
    if (problem) problems.push(problem);
    if (value) read.push({ path, value });
  }
  return { read, problems };
}
