export { generateClient } from './codegen/index.ts';
export {
  describeError,
  exportConfiguration,
  type ImportResult,
  importConfiguration,
} from './configuration.ts';
export { DEMO_CONFIGURATION } from './demo.ts';
export { readPackageFolder, readSeedFile, type SeedRecord, writePackageFolder } from './package-folder.ts';
export { CONFIG_FILE, loadPlugins, type ProjectConfig, readProjectConfig } from './plugin-config.ts';
export { previewLines, terminalLocale } from './preview-text.ts';
