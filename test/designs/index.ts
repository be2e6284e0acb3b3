// The catalogue of small designs shared by the emit, sim and co-sim tests. Each entry builds a
// fresh ModuleBuilder (builders are single-use: elaborate one per build() call).
import type { ModuleBuilder } from '../../src/hdl/index.js';
import { adderTree } from './adder-tree.js';
import { counter } from './counter.js';
import { hierarchy, keywords } from './hierarchy.js';
import { macArray2x2, macPe } from './mac-array.js';
import {
  opsArithSigned,
  opsArithUnsigned,
  opsBitwise,
  opsCompare,
  opsSelect,
  opsShiftConst,
  opsShiftVar,
} from './ops.js';
import { regfile, regfileOdd } from './regfile.js';
import { pipeline, registersMixed, registersNoReset } from './registers.js';
import { unusedInputs } from './unused.js';
import { oneBit, wide } from './widths.js';

export interface CatalogueEntry {
  /** Stable, unique, snake_case. */
  readonly name: string;
  readonly build: () => ModuleBuilder;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  { name: 'counter', build: counter },
  { name: 'adder_tree', build: adderTree },
  { name: 'mac_pe', build: macPe },
  { name: 'mac_array_2x2', build: macArray2x2 },
  { name: 'regfile', build: regfile },
  { name: 'regfile_odd', build: regfileOdd },
  { name: 'ops_bitwise', build: opsBitwise },
  { name: 'ops_arith_unsigned', build: opsArithUnsigned },
  { name: 'ops_arith_signed', build: opsArithSigned },
  { name: 'ops_compare', build: opsCompare },
  { name: 'ops_shift_const', build: opsShiftConst },
  { name: 'ops_shift_var', build: opsShiftVar },
  { name: 'ops_select', build: opsSelect },
  { name: 'wide', build: wide },
  { name: 'one_bit', build: oneBit },
  { name: 'registers_mixed', build: registersMixed },
  { name: 'registers_no_reset', build: registersNoReset },
  { name: 'pipeline', build: pipeline },
  { name: 'hierarchy', build: hierarchy },
  { name: 'keywords', build: keywords },
  { name: 'unused_inputs', build: unusedInputs },
];

export function catalogueEntry(name: string): CatalogueEntry {
  const e = CATALOGUE.find((x) => x.name === name);
  if (!e) throw new Error(`no catalogue design ${name}`);
  return e;
}
