// `mxgen import <model.onnx>`: an ONNX model → a design file (the IR's YAML) and its weights in a
// side file (`<name>.weights.safetensors`, docs/onnx.md). Both are written to temporary names and
// renamed, so a failed import leaves nothing behind.
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action, EXIT } from '../action.js';

export function register(program: Command): void {
  program
    .command('import')
    .description('ONNX model → design YAML + weights side file (safetensors layout, binary64)')
    .argument('<model>', 'an .onnx file (external data files next to it are read)')
    .option('--out <dir>', 'folder for <name>.yaml and <name>.weights.safetensors', '.')
    .option('--output <tensor>', 'the ONNX tensor to compute (default: the first graph output)')
    .option('--name <name>', 'design name (default: from the file name)')
    .option('--macs <n>', 'the design’s MAC budget', '64')
    .option('--force', 'replace existing files of the same names')
    .action(
      action((model: string, opts: flow.ImportOpts) => {
        const r = flow.importCommand(model, opts);
        for (const n of r.notes) console.error(`mxgen import: ${n}`);
        console.log(`wrote ${r.written[0]} and ${r.written[1]}`);
        return EXIT.ok;
      }),
    );
}
