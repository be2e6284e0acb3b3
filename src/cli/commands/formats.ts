// `mxgen formats`: the catalogue of element and scale formats (docs/numerics.md).
import type { Command } from 'commander';
import { formatCatalogue, listMxFormats, oliveCatalogue } from '../../numerics/index.js';
import { action } from '../action.js';

/** Exact decimal, or the exact n·2^k form when the decimal is too long for a table. */
function short(decimal: string | null, dyadic: string | null): string {
  if (decimal === null) return '-';
  return decimal.length > 20 && dyadic !== null ? dyadic : decimal;
}

export function register(program: Command): void {
  program
    .command('formats')
    .description('list every number format: bits, bias, min subnormal, min normal, max, specials')
    .option('--json', 'print one JSON array (one object per format)')
    .action(
      action((opts: { json?: boolean }) => {
        const cat = [...formatCatalogue(), ...oliveCatalogue()];
        if (opts.json) {
          console.log(JSON.stringify(cat, null, 2));
          return;
        }
        const rows = [
          ['name', 'bits', 'bias', 'min subnormal', 'min normal', 'max', 'specials'],
          ...cat.map((e) => [
            e.name,
            String(e.bits),
            e.bias === null ? '-' : String(e.bias),
            short(e.minSubnormal, e.dyadic.minSubnormal),
            short(e.minNormal, e.dyadic.minNormal),
            short(e.max, e.dyadic.max),
            e.specials.join('; '),
          ]),
        ];
        const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
        for (const r of rows)
          console.log(
            r
              .map((c, i) => c.padEnd(widths?.[i] ?? 0))
              .join('  ')
              .trimEnd(),
          );
        console.log(
          `\nblock formats: ${listMxFormats()
            .map((m) => `${m.name} (k=${m.blockSize}, e8m0 scale)`)
            .join(', ')}, nvfp4 (k=16, e4m3 scale)`,
        );
        console.log(
          'min subnormal of integer, BitMoD and OliVe formats is their smallest positive value (LSB).',
        );
        console.log(
          'olive4/olive8 values are in units of the scale σ; codes decode in pairs (`mxgen numerics decode --format olive4`).',
        );
      }),
    );
}
