// The bundled designs and their compiled forms, shared by the end-to-end tests.
import { readdirSync } from 'node:fs';
import { readDesignFile } from '../../src/cli/design-file.js';
import { compileGraph, type Compiled } from '../../src/ir/index.js';

export const DESIGN_DIR = 'templates/designs';

export function bundledDesigns(): string[] {
  return readdirSync(DESIGN_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `${DESIGN_DIR}/${f}`);
}

export function compileFile(path: string): Compiled {
  return compileGraph(readDesignFile(path));
}

/** Input tensors per design in the end-to-end tests (each `tokens` beats): 20, more with MXGEN_FUZZ_N. */
export const TENSORS = Math.max(20, Number(process.env.MXGEN_FUZZ_N ?? '0') || 0);
