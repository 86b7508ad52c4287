import { fileURLToPath } from 'node:url';

/** The demo configuration shipped in examples/demo: definitions and sample records only. */
export const DEMO_CONFIGURATION = fileURLToPath(new URL('../../../examples/demo', import.meta.url));
