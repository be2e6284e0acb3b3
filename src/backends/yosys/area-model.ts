// The area model: mxgen's liberty file (templates/yosys/mxgen_ge.lib), whose cell areas are in
// NAND2 gate equivalents (NAND2 = 1 GE), so results compare with papers quoting kGE. Areas are
// read from the file itself; docs/area.md lists and justifies each one.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MxgenError } from '../../hdl/index.js';

export const LIBERTY_PATH = fileURLToPath(
  new URL('../../../templates/yosys/mxgen_ge.lib', import.meta.url),
);

export const AREA_UNIT = 'GE (NAND2 gate equivalents, NAND2 = 1)';

export function libertyText(): string {
  return readFileSync(LIBERTY_PATH, 'utf8');
}

/** Cell name → area, in file order. */
export function parseLibertyAreas(text: string): Map<string, number> {
  const areas = new Map<string, number>();
  for (const m of text.matchAll(/cell\s*\(\s*"?(\w+)"?\s*\)\s*\{\s*area\s*:\s*([\d.]+)\s*;/g))
    areas.set(m[1] ?? '', Number(m[2]));
  if (areas.size === 0) throw new MxgenError('config', 'the liberty file lists no cell areas');
  return areas;
}

/** Sum of count × area over the library cells; submodule instances are not library cells. */
export function gateEquivalents(
  counts: ReadonlyMap<string, number>,
  areas: ReadonlyMap<string, number>,
  submodules: ReadonlySet<string>,
): { ge: number; unknown: string[] } {
  let ge = 0;
  const unknown: string[] = [];
  for (const [type, n] of counts) {
    if (submodules.has(type)) continue;
    const a = areas.get(type);
    if (a === undefined) unknown.push(type);
    else ge += a * n;
  }
  return { ge: roundArea(ge), unknown };
}

/** Areas are kept to 3 decimals, the precision of the library, so sums print the same everywhere. */
export function roundArea(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Yosys's generic flip-flop and latch cells ($_DFF_P_, $_SDFFE_PP0P_, $_DLATCH_P_, ...). */
export function isSequentialCell(type: string): boolean {
  return (
    /^\$_(?:[A-Z]*DFF[A-Z]*|DLATCH[A-Z]*|SR)_/.test(type) ||
    /^\$(?:[a-z]*dff[a-z]*|dlatch)$/.test(type)
  );
}

/** Yosys's memory cells, kept as memories by the area script (`$mem_v2` from Yosys 0.11 on). */
export function isMemoryCell(type: string): boolean {
  return type === '$mem' || type === '$mem_v2';
}

/**
 * The SRAM area model (a model, not a synthesis result; docs/area.md): the 6T bit cell of Intel's
 * 45 nm process, 0.346 µm² (K. Mistry et al., IEDM 2007), in NAND2 gate equivalents of the
 * liberty's Nangate FreePDK45 NAND2_X1 (0.798 µm²). Bit cells only: decoders, sense amplifiers
 * and other periphery are not included.
 */
export const SRAM_BITCELL_UM2 = 0.346;
export const NAND2_UM2 = 0.798;
export const SRAM_BIT_GE = roundArea(SRAM_BITCELL_UM2 / NAND2_UM2);
export const SRAM_MODEL =
  '6T SRAM bit cell 0.346 um2 (Intel 45 nm, Mistry et al., IEDM 2007) / NAND2_X1 0.798 um2 (Nangate FreePDK45); bit cells only, no periphery';

/** Modelled area of `bits` SRAM bits in GE (3 decimals). */
export function memoryGateEquivalents(bits: number): number {
  return roundArea(bits * SRAM_BIT_GE);
}
