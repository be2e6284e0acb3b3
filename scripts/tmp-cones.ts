import { join } from 'node:path';
import { readDesignFile } from '../src/flow/design-file.js';
import { simulateNative } from '../src/flow/flow.js';
import { compileGraph } from '../src/ir/index.js';
import { compile } from '../src/sim/index.js';
const compiled = compileGraph(readDesignFile(join('templates/designs', `${process.argv[2]}.yaml`)));
const { netlist } = simulateNative(compiled, 1);
process.env.DBG_CONE = '1';
compile(netlist, { signals: false });
