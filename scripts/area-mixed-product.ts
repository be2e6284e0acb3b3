// Generic Yosys cells of one signed product of two sign-extended operands, and of one whose second
// operand is a zero extension
// (`{1'b0, b}`), printed native (`$signed(a) * $signed({1'b0, b})`) and with the extensions spelled
// out: the measurement behind the emitter's rule that keeps the extended form where the
// zero-extended value is narrower than the signed operand (src/emit/sv/usage.ts, docs/emit.md). Same Yosys script as the area flow up to its generic stat.
// Run: node --import tsx scripts/area-mixed-product.ts
import { genericCells } from './area-kinds.js';

const SIZES: readonly (readonly [number, number])[] = [
  [3, 2],
  [8, 7],
  [15, 12],
  [18, 12],
  [8, 8],
  [12, 16],
  [12, 32],
];

function module(wa: number, wb: number, native: boolean): string {
  const wp = wa + wb + 1;
  const rhs = native
    ? `$signed(a) * $signed(bz)`
    : `{{${wp - wa}{a[${wa - 1}]}}, a} * {{${wp - wb - 1}{bz[${wb}]}}, bz}`;
  return [
    `module m (input logic [${wa - 1}:0] a, input logic [${wb - 1}:0] b, output logic [${wp - 1}:0] p);`,
    `  logic [${wb}:0] bz;`,
    `  assign bz = {1'b0, b};`,
    `  assign p = ${rhs};`,
    'endmodule',
    '',
  ].join('\n');
}

function bothSigned(wa: number, wb: number, native: boolean): string {
  const wp = wa + wb;
  const rhs = native
    ? `$signed(a) * $signed(b)`
    : `{{${wb}{a[${wa - 1}]}}, a} * {{${wa}{b[${wb - 1}]}}, b}`;
  return [
    `module m (input logic [${wa - 1}:0] a, input logic [${wb - 1}:0] b, output logic [${wp - 1}:0] p);`,
    `  assign p = ${rhs};`,
    'endmodule',
    '',
  ].join('\n');
}

console.log('| a bits (signed) | b bits (signed) | cells native | cells extended |');
console.log('| ---: | ---: | ---: | ---: |');
for (const [wa, wb] of [
  [3, 3],
  [4, 4],
  [8, 8],
  [16, 16],
] as const) {
  const cells = async (native: boolean): Promise<number> =>
    genericCells([{ name: 'm.sv', text: bothSigned(wa, wb, native) }], 'm');
  console.log(`| ${wa} | ${wb} | ${await cells(true)} | ${await cells(false)} |`);
}
console.log('');
console.log('| a bits (signed) | b bits (zero-extended) | cells native | cells extended |');
console.log('| ---: | ---: | ---: | ---: |');
for (const [wa, wb] of SIZES) {
  const cells = async (native: boolean): Promise<number> =>
    genericCells([{ name: 'm.sv', text: module(wa, wb, native) }], 'm');
  console.log(`| ${wa} | ${wb} | ${await cells(true)} | ${await cells(false)} |`);
}
