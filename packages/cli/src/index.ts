export {
  describeError,
  exportConfiguration,
  type ImportResult,
  importConfiguration,
} from './configuration.ts';
export { readModuleFiles, readSeedFile, type SeedRecord, writeModuleFiles } from './definition-files.ts';
export { DEMO_CONFIGURATION } from './demo.ts';
