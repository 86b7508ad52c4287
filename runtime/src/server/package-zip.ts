import { MANIFEST_FILE, type PackageFiles, pointerOf } from '@crm/engine';
import { unzipSync, zipSync } from 'fflate';
import { payloadTooLarge } from './body.ts';
import { HttpProblem } from './problem.ts';

export const ZIP_CONTENT_TYPE = 'application/zip';

/** Every entry gets this (local) time, so the same files always zip to the same bytes. */
const FIXED_TIME = new Date(1980, 0, 1);
const MAX_ENTRIES = 5000;
/** Unpacked size a package zip may claim: a guard against archives that inflate without end. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

/** The package files as one zip archive, the files at its root. */
export function zipPackage(files: PackageFiles): Uint8Array<ArrayBuffer> {
  const entries = Object.fromEntries(
    Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]),
  );
  const zipped = zipSync(entries, { level: 6, mtime: FIXED_TIME });
  return new Uint8Array(zipped.buffer as ArrayBuffer, zipped.byteOffset, zipped.byteLength);
}

function badZip(detail: string, pointer = ''): HttpProblem {
  return new HttpProblem('invalid-request', detail, [{ pointer, code: 'zip', detail }]);
}

/**
 * The package files of an uploaded zip: text files by path, folders and hidden entries (`.git/…`,
 * `__MACOSX/…`) left out. A zip of the package's folder (`sales-crm/crm-package.json` …) counts as
 * the folder's content.
 */
export function unzipPackage(bytes: Uint8Array): PackageFiles {
  let entries = 0;
  let unpacked = 0;
  let archive: Record<string, Uint8Array>;
  try {
    archive = unzipSync(bytes, {
      filter: (file) => {
        if (
          file.name.endsWith('/') ||
          file.name.split('/').some((s) => s.startsWith('.') || s === '__MACOSX')
        )
          return false;
        entries += 1;
        unpacked += file.originalSize;
        if (entries > MAX_ENTRIES) throw badZip(`a package holds at most ${MAX_ENTRIES} files`);
        if (unpacked > MAX_UNPACKED_BYTES) throw payloadTooLarge(MAX_UNPACKED_BYTES);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw badZip(`the body is not a readable zip archive: ${error instanceof Error ? error.message : error}`);
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const files: PackageFiles = {};
  for (const [name, content] of Object.entries(archive)) {
    try {
      files[name] = decoder.decode(content);
    } catch {
      throw badZip(`${name} is not UTF-8 text`, pointerOf(name));
    }
  }
  return withoutCommonFolder(files);
}

/** `folder/crm-package.json`, `folder/modules/…` → `crm-package.json`, `modules/…`. */
function withoutCommonFolder(files: PackageFiles): PackageFiles {
  const paths = Object.keys(files);
  if (paths.includes(MANIFEST_FILE) || paths.length === 0) return files;
  const folder = paths[0].split('/')[0];
  if (!paths.every((p) => p.startsWith(`${folder}/`)) || !(`${folder}/${MANIFEST_FILE}` in files))
    return files;
  return Object.fromEntries(Object.entries(files).map(([p, text]) => [p.slice(folder.length + 1), text]));
}
