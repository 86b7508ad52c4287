import type { Problem } from '../errors.ts';
import { fileProblem, inFile, MANIFEST_FILE, manifestProblems, type PackageManifest } from './format.ts';
import type { PackageItem, PackageKind } from './kinds.ts';

const MAX_FILES = 5000;

export interface ReadPackage {
  manifest: PackageManifest;
  /** Items by kind folder, in the order of `kinds`. */
  items: Map<string, PackageItem<unknown>[]>;
}

/**
 * Reads a package given as `{ path: text }`: the manifest, then each kind's files. Every problem
 * names its file (the pointer's first segment) and the place in it; any problem refuses the whole
 * package, and a folder no kind reads (a kind this server does not know) is one.
 */
export function readPackage(
  input: unknown,
  kinds: PackageKind[],
): { read?: ReadPackage; problems: Problem[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      problems: [
        {
          pointer: '',
          code: 'type',
          message: 'a package is a JSON object of files: { "<path>": "<file text>" }',
          messages: {
            en: 'a package is a JSON object of files: { "<path>": "<file text>" }',
            'zh-CN': '应用包应为文件的 JSON 对象：{ "<路径>": "<文件内容>" }',
          },
        },
      ],
    };
  }
  const problems: Problem[] = [];
  const entries = Object.entries(input as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length > MAX_FILES) {
    problems.push({
      pointer: '',
      code: 'maxProperties',
      message: `a package holds at most ${MAX_FILES} files`,
      messages: {
        en: `a package holds at most ${MAX_FILES} files`,
        'zh-CN': `应用包最多包含 ${MAX_FILES} 个文件`,
      },
    });
    return { problems };
  }
  const byFolder = new Map<string, [string, string][]>(kinds.map((k) => [k.folder, []]));
  let manifestText: string | undefined;
  for (const [path, text] of entries) {
    if (typeof text !== 'string') {
      problems.push(
        fileProblem(path, 'type', {
          en: `${path}: must be the file's text`,
          'zh-CN': `${path}：应为文件内容文本`,
        }),
      );
      continue;
    }
    if (!/^[^/\\]+(\/[^/\\]+)*$/.test(path) || path.split('/').some((s) => s === '.' || s === '..')) {
      problems.push(
        fileProblem(path, 'path', {
          en: `'${path}' is not a relative path inside the package`,
          'zh-CN': `'${path}' 不是应用包内的相对路径`,
        }),
      );
      continue;
    }
    const slash = path.indexOf('/');
    if (slash < 0) {
      // other files at the root (README.md, seed.json, LICENSE) are not configuration
      if (path === MANIFEST_FILE) manifestText = text;
      continue;
    }
    const folder = path.slice(0, slash);
    const files = byFolder.get(folder);
    if (files) files.push([path, text]);
    else {
      const known = kinds.map((k) => k.folder).join(', ');
      problems.push(
        fileProblem(path, 'unknown-kind', {
          en: `${path}: this server does not know package items of kind '${folder}' (it knows ${known}); nothing was imported`,
          'zh-CN': `${path}：本服务器不认识 '${folder}' 类的应用包内容（支持：${known}），未导入任何内容`,
        }),
      );
    }
  }
  const manifest = readManifest(manifestText, problems);
  const items = new Map<string, PackageItem<unknown>[]>();
  for (const kind of kinds) {
    const result = kind.read(byFolder.get(kind.folder) ?? []);
    problems.push(...result.problems, ...duplicateIds(kind, result.items));
    items.set(kind.folder, result.items);
  }
  return problems.length > 0 || !manifest ? { problems } : { read: { manifest, items }, problems };
}

function readManifest(text: string | undefined, problems: Problem[]): PackageManifest | undefined {
  if (text === undefined) {
    problems.push(
      fileProblem(MANIFEST_FILE, 'required', {
        en: `${MANIFEST_FILE} is missing: it names the package and its format`,
        'zh-CN': `缺少 ${MANIFEST_FILE}：它说明应用包的名称和格式`,
      }),
    );
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    problems.push(
      fileProblem(MANIFEST_FILE, 'malformed-json', {
        en: `${MANIFEST_FILE} is not valid JSON: ${reason}`,
        'zh-CN': `${MANIFEST_FILE} 不是有效的 JSON：${reason}`,
      }),
    );
    return undefined;
  }
  const found = manifestProblems(value).map((p) => inFile(MANIFEST_FILE, p));
  problems.push(...found);
  return found.length === 0 ? (value as PackageManifest) : undefined;
}

function duplicateIds(kind: PackageKind, items: PackageItem<unknown>[]): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const item of items) {
    const first = seen.get(item.id);
    if (first === undefined) {
      seen.set(item.id, item.file);
      continue;
    }
    const messages = {
      en: `${kind.label.en} id '${item.id}' is also in ${first}`,
      'zh-CN': `${kind.label['zh-CN']} id '${item.id}' 已在 ${first} 中使用`,
    };
    problems.push(inFile(item.file, { pointer: '/id', code: 'duplicate', message: messages.en, messages }));
  }
  return problems;
}
