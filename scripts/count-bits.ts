// Flip-flop and memory bits of a dataflow design, counted from the netlist (every instance; SRAM
// read registers are part of the memory), its SV bytes and throughput (decisions 50, 53):
// `npx tsx scripts/count-bits.ts templates/designs/ffn-gpt2.yaml [nothru]`.
import { readDesignFile } from '../src/flow/design-file.js';
import { measureThroughput } from '../src/flow/throughput.js';
import { emitSv } from '../src/emit/sv/index.js';
import { elaborate, type Netlist } from '../src/hdl/index.js';
import { compileGraph, designVectors, withOverrides } from '../src/ir/index.js';
const path = process.argv[2] ?? '';
const c = compileGraph(withOverrides(readDesignFile(path), {}));
const nl: Netlist = elaborate(c.top);
const byName = new Map(nl.modules.map((m) => [m.name, m]));
const count = (name: string): { ff: number; rf: number; mem: number } => {
  const m = byName.get(name);
  if (!m) return { ff: 0, rf: 0, mem: 0 };
  let ff = m.regs.reduce((a, r) => a + r.width, 0);
  let rf = 0;
  let mem = 0;
  for (const x of m.mems)
    if (x.kind === 'sram') mem += x.width * x.depth;
    else rf += x.width * x.depth;
  for (const i of m.instances) {
    const s = count(i.module);
    ff += s.ff;
    rf += s.rf;
    mem += s.mem;
  }
  return { ff, rf, mem };
};
const top = byName.get(nl.top);
for (const i of top?.instances ?? []) {
  const s = count(i.module);
  if (s.ff + s.mem > 0) console.log(`  ${i.name}: ff ${s.ff} regfile ${s.rf} memory ${s.mem}`);
}
const t = count(nl.top);
const sv = emitSv(nl).files.reduce((a, f) => a + Buffer.byteLength(f.text), 0);
console.log(
  `${path}: flip-flop bits ${t.ff} (regfile ${t.rf}), memory bits ${t.mem}, SV bytes ${sv}`,
);
if (process.argv[3] !== 'nothru') {
  const th = measureThroughput(c, designVectors(c.graph, 1), 500, 4);
  console.log(
    `cycles/token ${th.cyclesPerToken} ideal ${th.idealCyclesPerToken} utilization ${th.utilization.toFixed(4)} memoryBits ${th.memoryBits}`,
    JSON.stringify(
      th.units.map((u) => [
        u.node,
        u.cyclesPerToken,
        u.memoryBits,
        (u as { bufferBits?: number }).bufferBits,
      ]),
    ),
  );
}
