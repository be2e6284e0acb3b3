// The vector-file writer against the cocotb bridge's hand-written fixture (same JSON), its
// determinism and its errors; and the Python reader reading what the writer wrote.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, VENV_PYTHON } from '../../../src/backends/index.js';
import { MxgenError } from '../../../src/hdl/index.js';
import {
  formatVectorFile,
  hexValue,
  streamsOf,
  writeVectorFile,
  type VectorInput,
  type VectorPort,
} from '../../../src/flow/vectors.js';

const FIXTURE = 'cocotb-bridge/tests/fixtures/add2.vectors.json';

const PORTS: VectorPort[] = [
  { name: 'clk', direction: 'input', width: 1 },
  { name: 'rst', direction: 'input', width: 1 },
  { name: 'in_valid', direction: 'input', width: 1 },
  { name: 'in_ready', direction: 'output', width: 1 },
  { name: 'in_a', direction: 'input', width: 8 },
  { name: 'in_b', direction: 'input', width: 8 },
  { name: 'out_valid', direction: 'output', width: 1 },
  { name: 'out_ready', direction: 'input', width: 1 },
  { name: 'out_sum', direction: 'output', width: 9 },
  { name: 'out_xor', direction: 'output', width: 8 },
];

// The fixture's beats (hand calculations in cocotb-bridge/tests/fixtures/README.md).
const PAIRS: [number, number, number, number][] = [
  [0x00, 0x00, 0x000, 0x00],
  [0x01, 0x02, 0x003, 0x03],
  [0xff, 0x01, 0x100, 0xfe],
  [0xff, 0xff, 0x1fe, 0x00],
  [0x80, 0x80, 0x100, 0x00],
  [0x5a, 0xa5, 0x0ff, 0xff],
  [0x12, 0x34, 0x046, 0x26],
  [0x7f, 0x01, 0x080, 0x7e],
  [0xc3, 0x3c, 0x0ff, 0xff],
  [0x10, 0x0f, 0x01f, 0x1f],
];

function add2(beats: 'map' | 'record' = 'record'): VectorInput {
  const inBeats = PAIRS.map(([a, b]) => ({ a: BigInt(a), b: BigInt(b) }));
  const outBeats = PAIRS.map(([, , sum, xor]) => ({ sum: BigInt(sum), xor: BigInt(xor) }));
  return {
    design: 'add2',
    top: 'add2',
    seed: 7,
    latencyCycles: 2,
    ports: PORTS,
    inBeats: beats === 'map' ? inBeats.map((b) => new Map(Object.entries(b))) : inBeats,
    outBeats: beats === 'map' ? outBeats.map((b) => new Map(Object.entries(b))) : outBeats,
  };
}

function kindOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof MxgenError) return `${e.kind}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('cli/vectors: the vector-file writer', () => {
  it('writes the same JSON as the hand-written fixture the Python tests use', () => {
    const ours: unknown = JSON.parse(formatVectorFile(add2()));
    const fixture: unknown = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    expect(ours).to.deep.equal(fixture);
  });

  it('is deterministic and does not care whether beats are Maps or records', () => {
    const a = formatVectorFile(add2('record'));
    expect(formatVectorFile(add2('record'))).to.equal(a);
    expect(formatVectorFile(add2('map'))).to.equal(a);
    expect(a.split('\n')).to.include('    { "a": "0xff", "b": "0x01" },');
  });

  it('spells values as 0x plus ceil(width/4) lowercase digits', () => {
    expect(hexValue(3n, 9)).to.equal('0x003');
    expect(hexValue(0n, 1)).to.equal('0x0');
    expect(hexValue(0xabn, 8)).to.equal('0xab');
    expect(hexValue(1n << 64n, 65)).to.equal('0x10000000000000000');
  });

  it('finds the streams by the port names of docs/streams.md', () => {
    const s = streamsOf(PORTS, 'add2');
    expect(s.in.fields.map((f) => f.port)).to.deep.equal(['in_a', 'in_b']);
    expect(s.out).to.deep.include({ valid: 'out_valid', ready: 'out_ready' });
    expect(kindOf(() => streamsOf(PORTS.slice(0, 8), 'add2'))).to.equal(
      'config: the out stream of top add2 has no out_<field> ports',
    );
    expect(
      kindOf(() =>
        streamsOf(
          PORTS.filter((p) => p.name !== 'in_ready'),
          'add2',
        ),
      ),
    ).to.equal('config: top add2 has no 1-bit output port in_ready, so it has no in stream');
  });

  it('rejects a beat value wider than its field, a missing field and an unknown field', () => {
    const v = add2();
    const wide = { ...v, outBeats: [{ sum: 512n, xor: 0n }] }; // 512 needs 10 bits
    expect(kindOf(() => formatVectorFile(wide))).to.equal(
      'shape: outBeats[0].sum = 512 does not fit in 9 bits',
    );
    const missing = { ...v, inBeats: [{ a: 1n }] };
    expect(kindOf(() => formatVectorFile(missing))).to.equal('shape: inBeats[0].b is missing');
    const extra = { ...v, inBeats: [{ a: 1n, b: 2n, c: 3n }] };
    expect(kindOf(() => formatVectorFile(extra))).to.equal(
      'shape: inBeats[0] has field c, which the stream does not have',
    );
  });

  it('needs every other input port as a constant', () => {
    const ports = [...PORTS, { name: 'mode', direction: 'input' as const, width: 2 }];
    expect(kindOf(() => formatVectorFile({ ...add2(), ports }))).to.equal(
      'config: input port mode of top add2 is neither a stream port nor a constant',
    );
    const text = formatVectorFile({ ...add2(), ports, constants: new Map([['mode', 2n]]) });
    expect((JSON.parse(text) as { constants: unknown }).constants).to.deep.equal({ mode: '0x2' });
  });

  it('writes a file that mxgen_cocotb reads back to the same beats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-vectors-'));
    try {
      const path = join(dir, 'add2.vectors.json');
      writeVectorFile(path, { ...add2(), constants: new Map() });
      const script = [
        'import sys',
        'from mxgen_cocotb import load_vectors',
        'v = load_vectors(sys.argv[1])',
        'print(v.top, len(v.in_beats), v.in_beats[2]["a"], v.out_beats[3]["sum"], v.out_beats[6]["xor"])',
      ].join('\n');
      const r = await runTool(VENV_PYTHON, ['-c', script, path]);
      // beat 2: a = 0xff = 255; beat 3: sum = 0x1fe = 510; beat 6: xor = 0x26 = 38
      expect(r.stdout.trim()).to.equal('add2 10 255 510 38');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
