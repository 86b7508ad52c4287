// Publish plans without the keyword search upkeep steps, for suites about the table changes themselves
// (test/integration/engine/search.test.ts covers those steps).
export const schemaSteps = <T extends { kind: string }>(steps: readonly T[]): T[] =>
  steps.filter((s) => !s.kind.endsWith('Search'));
