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
