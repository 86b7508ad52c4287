import {
  EngineError,
  type ExportOptions,
  type PackageImportResult,
  type PackagePreview,
  SYSTEM_ACTOR,
  splitFilePointer,
  type Workspace,
} from '@crm/engine';
import { readPackageFolder, readSeedFile, writePackageFolder } from './package-folder.ts';
import { plantSeed, type SeedResult } from './seed.ts';

export interface ImportResult {
  preview: PackagePreview;
  /** The import's result; absent for a dry run. */
  imported?: PackageImportResult;
  /** Sample records created (`seed`). */
  records: number;
  /** What the seed made: records, and the users and departments that did not exist yet. */
  seeded?: SeedResult;
}

/**
 * Imports the app package in `dir`: previews it, then (unless `dryRun`) imports it all or nothing;
 * `seed` then creates the sample records (and their owners) of `dir/seed.json`. A preview with problems imports nothing
 * and throws them.
 */
export async function importConfiguration(
  workspace: Workspace,
  dir: string,
  options: {
    seed?: boolean;
    dryRun?: boolean;
    /** Let type changes that lose the values they cannot convert go ahead. */
    confirmDataLoss?: boolean;
    onPreview?: (preview: PackagePreview) => void;
  } = {},
): Promise<ImportResult> {
  const files = await readPackageFolder(dir);
  const publishOptions = { confirmDataLoss: options.confirmDataLoss === true };
  const preview = await workspace.packages.preview(files, publishOptions);
  options.onPreview?.(preview);
  if (preview.problems.length > 0) {
    throw new EngineError(
      'invalid-definition',
      'the package cannot be imported; nothing was changed',
      preview.problems,
    );
  }
  if (options.dryRun) return { preview, records: 0 };
  const imported = await workspace.packages.import(files, SYSTEM_ACTOR, publishOptions);
  if (!options.seed) return { preview, imported, records: 0 };
  const seeded = await plantSeed(workspace, await readSeedFile(dir));
  return { preview, imported, records: seeded.records, seeded };
}

/** Writes the workspace's configuration as an app package into `dir`; returns the files written. */
export async function exportConfiguration(
  workspace: Workspace,
  dir: string,
  options: ExportOptions = {},
): Promise<string[]> {
  const files = await workspace.packages.export(options);
  return writePackageFolder(dir, files, workspace.packages.kinds);
}

/**
 * A readable account of an engine error for the terminal. A problem in a package file reads
 * `modules/customer.json /fields/2/type: …`.
 */
export function describeError(error: unknown): string {
  if (error instanceof EngineError) {
    const lines = error.problems.map((p) => {
      const { file, pointer } = splitFilePointer(p.pointer);
      const where = file.includes('.') ? `${file} ${pointer || '/'}` : p.pointer || '/';
      return `  ${where}: ${p.message}`;
    });
    return [error.message, ...lines].join('\n');
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
