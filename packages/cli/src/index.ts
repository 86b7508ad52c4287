export { generateClient } from './codegen/index.ts';
export {
  describeError,
  exportConfiguration,
  type ImportResult,
  importConfiguration,
} from './configuration.ts';
export { demoPackages } from './demo.ts';
export { readPackageFolder, readSeedFile, writePackageFolder } from './package-folder.ts';
export { CONFIG_FILE, loadPlugins, type ProjectConfig, readProjectConfig } from './plugin-config.ts';
export { previewLines, terminalLocale } from './preview-text.ts';
export {
  plantSeed,
  type SeedDepartment,
  type SeedFile,
  type SeedRecord,
  type SeedResult,
  type SeedUser,
  seedFileOf,
} from './seed.ts';
