#!/usr/bin/env node
// mxgen command-line entry. Runs the precompiled JavaScript in dist/ (built by scripts/setup.sh;
// bin/compiled.js) when it is current with src/, else the TypeScript sources through tsx. Source
// mode also when MXGEN_SOURCE=1, and when an argument names a .ts/.js module (a design file):
// such a design imports src/hdl by path, and only the sources give it the same ModuleBuilder.
import { compiledEntry } from './compiled.js';

const MODULE_ARG = /\.(?:[cm]?[jt]s|tsx)$/;
const entry =
  process.env.MXGEN_SOURCE === '1' || process.argv.slice(2).some((a) => MODULE_ARG.test(a))
    ? undefined
    : compiledEntry();
if (entry) {
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
