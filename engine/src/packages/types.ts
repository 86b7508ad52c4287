import type { Problem } from '../errors.ts';
import type { MigrationStep } from '../storage/plan.ts';
import type { PackageChange } from './changes.ts';
import type { PackageManifest } from './format.ts';

/** What importing a package does to one of its items. */
export interface PackageItemPreview {
  /** The kind's folder: `modules`, `roles`. */
  kind: string;
  file: string;
  id: string;
  name: string;
  status: 'added' | 'changed' | 'unchanged';
  /** Modules: the version published now (null: none yet) and the one the import leaves. */
  fromVersion?: number | null;
  toVersion?: number;
  /** Modules: an unpublished draft of it that the import replaces with the package's definition. */
  replacesDraft?: boolean;
  changes: PackageChange[];
}

export interface PackagePreview {
  manifest: PackageManifest;
  /** The manifest of the package imported last into this workspace, null when none was. */
  installed: PackageManifest | null;
  summary: { added: number; changed: number; unchanged: number };
  /** Every item of the package, by kind (in the order they apply) and file. */
  items: PackageItemPreview[];
  /** What the workspace has and the package does not name: an import leaves it as it is. */
  untouched: { kind: string; id: string; name: string }[];
  /** The migration plan of the modules the import publishes. */
  steps: Omit<MigrationStep, 'check'>[];
  /** Why the import cannot go ahead; each pointer starts with the file's path. Empty: it can. */
  problems: Problem[];
}

export interface PackageImportResult extends PackagePreview {
  imported: true;
}
