// A VCD of sampled port values (one sample per cycle), written from harness output rather than
// Verilator's --trace, so no second, traced build is needed: cycle t is drawn at time 10*t with
// the clock rising at 10*t + 5, which is where the cycle contract commits registers.
export interface VcdSignal {
  readonly name: string;
  readonly width: number;
}

function vcdId(i: number): string {
  let s = '';
  let n = i;
  do {
    s += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return s;
}

function valueText(v: bigint, width: number, id: string): string {
  return width === 1 ? `${v & 1n}${id}` : `b${v.toString(2)} ${id}`;
}

/** VCD text for `signals` sampled per cycle (`rows[t][k]` is signal k at cycle t). */
export function sampleVcd(
  scope: string,
  signals: readonly VcdSignal[],
  rows: readonly (readonly bigint[])[],
): string {
  const out: string[] = [
    '$version mxgen sampled ports $end',
    '$timescale 1ns $end',
    `$scope module ${scope} $end`,
    `$var wire 1 ${vcdId(0)} clk $end`,
  ];
  signals.forEach((s, k) => {
    const range = s.width === 1 ? '' : ` [${s.width - 1}:0]`;
    out.push(`$var wire ${s.width} ${vcdId(k + 1)} ${s.name}${range} $end`);
  });
  out.push('$upscope $end', '$enddefinitions $end');
  let prev: readonly bigint[] | null = null;
  rows.forEach((row, t) => {
    out.push(`#${10 * t}`, `0${vcdId(0)}`);
    signals.forEach((s, k) => {
      const v = row[k] ?? 0n;
      if (prev === null || prev[k] !== v) out.push(valueText(v, s.width, vcdId(k + 1)));
    });
    out.push(`#${10 * t + 5}`, `1${vcdId(0)}`);
    prev = row;
  });
  out.push(`#${10 * rows.length}`);
  return `${out.join('\n')}\n`;
}
