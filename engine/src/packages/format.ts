import type { ValidateFunction } from 'ajv';
import { createAjv, problemsFromAjv } from '../compile/ajv.ts';
import { definitionDefs } from '../definitions/meta-schema.ts';
import type { LocaleText } from '../definitions/types.ts';
import { EngineError, type Problem, pointerOf } from '../errors.ts';
import type { JsonSchema } from '../fields/registry.ts';

/** An app package as files: path (relative, `/`-separated) → the file's text. */
export type PackageFiles = Record<string, string>;

/** The file naming the package; its presence makes a folder a package. */
export const MANIFEST_FILE = 'crm-package.json';

/** The package format this engine writes and reads; a package of a later format is refused. */
export const PACKAGE_FORMAT = 1;

/** `crm-package.json`: what the package is. Nothing in it changes between two identical exports. */
export interface PackageManifest {
  format: number;
  /** Lower-case name, e.g. `sales-crm`. */
  name: string;
  /** The package's own version, e.g. `1.2.0` (set by whoever publishes the package, not by an export). */
  version: string;
  label: LocaleText;
  description?: LocaleText;
}

export const manifestSchema: JsonSchema = {
  $id: 'crm:package',
  $defs: definitionDefs,
  type: 'object',
  properties: {
    format: { type: 'integer', minimum: 1, maximum: PACKAGE_FORMAT },
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
    version: { type: 'string', pattern: '^\\d{1,9}\\.\\d{1,9}\\.\\d{1,9}(-[0-9A-Za-z.-]{1,64})?$' },
    label: { $ref: '#/$defs/localeText' },
    description: { $ref: '#/$defs/localeText' },
  },
  required: ['format', 'name', 'version', 'label'],
  additionalProperties: false,
};

let validator: ValidateFunction | undefined;

/** Problems of a manifest's shape, pointers inside the manifest file. */
export function manifestProblems(value: unknown): Problem[] {
  validator ??= createAjv().compile(manifestSchema);
  if (validator(value)) return [];
  const problems = problemsFromAjv(validator.errors);
  const format = (value as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && format > PACKAGE_FORMAT) {
    return [
      {
        pointer: '/format',
        code: 'format',
        message: `package format ${format} is newer than this server reads (${PACKAGE_FORMAT}); upgrade the server`,
        messages: {
          en: `package format ${format} is newer than this server reads (${PACKAGE_FORMAT}); upgrade the server`,
          'zh-CN': `应用包格式 ${format} 比本服务器支持的格式（${PACKAGE_FORMAT}）新，请升级服务器`,
        },
      },
    ];
  }
  return problems;
}

/**
 * A problem inside a package file: its pointer starts with the file's path as one segment (so it
 * points into the `{ path: content }` map the API takes), then the pointer inside the file's JSON.
 */
export function inFile(path: string, problem: Problem): Problem {
  return { ...problem, pointer: pointerOf(path) + problem.pointer };
}

/** The file and the pointer inside it of a problem made by `inFile`. */
export function splitFilePointer(pointer: string): { file: string; pointer: string } {
  const match = /^\/([^/]*)(.*)$/.exec(pointer);
  if (!match) return { file: '', pointer };
  return { file: match[1].replace(/~1/g, '/').replace(/~0/g, '~'), pointer: match[2] };
}

/** A problem of a whole file (bad JSON, unknown kind …), in English and Chinese. */
export function fileProblem(path: string, code: string, messages: { en: string; 'zh-CN': string }): Problem {
  return { pointer: pointerOf(path), code, message: messages.en, messages };
}

export function invalidPackage(problems: Problem[]): EngineError {
  return new EngineError(
    'invalid-definition',
    `the package is not valid; nothing was imported (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
    problems,
  );
}
