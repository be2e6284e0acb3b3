// Every component and IR unit uses the one stream API of src/hdl/stream.ts (docs/streams.md):
// (1) a scan of src/: no instance's valid/ready port is wired by its literal name outside
// stream.ts (connect('x_valid' | 'x_ready'), connect({ x_valid: … }), out('x_valid' | 'x_ready'))
// and `Beat`, packBeat and unpackBeat are defined once; (2) structurally, every registered
// component's module has exactly the stream ports its `stream(config)` fields name, with their
// widths, so runStream, the replay and packBeat see the module the generator built.
import { expect } from 'chai';
import { listComponents, parseConfig } from '../../../src/components/index.js';
import { elaborate, findModule } from '../../../src/hdl/index.js';
import { sourceTexts } from '../../support/source-files.js';

const STREAM_MODULE = 'src/hdl/stream.ts';

const HAND_WIRED: readonly RegExp[] = [
  // connect('in_valid', …), connect(`out${i}_ready`, …)
  /\.connect\(\s*(['"`])[^'"`]*_(valid|ready)\1/g,
  // connect({ in_valid: …, [`in_${p}_valid`]: … })
  /\.connect\(\{(?:[^}$]|\$\{[^}]*\}|\$)*?_(valid|ready)[`'"\]]*\s*:/gs,
  // out('out_valid'), out(`in_${p}_ready`)
  /\.out\(\s*(['"`])[^'"`]*_(valid|ready)\1/g,
];
const DEFINITIONS =
  /^\s*(export\s+)?(type\s+Beat\s*=|interface\s+Beat\b|function\s+(packBeat|unpackBeat)\b)/gm;

/** Where field packers live: element i of a field at bits [w·i + w − 1 : w·i], and beats. */
const PACKERS = new Set([
  'src/components/arith/codes.ts',
  'src/components/arith/lanes.ts',
  STREAM_MODULE,
]);
const PACKER = /^\s*(export\s+)?function\s+(pack|unpack)\w*/gm;

/** `file:line: name` of every pack/unpack function outside PACKERS and src/numerics (bytes). */
export function strayPackers(files: ReadonlyMap<string, string>): string[] {
  const hits: string[] = [];
  for (const [file, text] of files) {
    if (PACKERS.has(file) || file.startsWith('src/numerics/')) continue;
    for (const m of text.matchAll(PACKER))
      hits.push(`${file}:${text.slice(0, m.index).split('\n').length}: ${m[0].trim()}`);
  }
  return hits;
}

/** `file:line: match` of every hand-wired stream port and every second Beat/pack definition. */
export function streamBypasses(files: ReadonlyMap<string, string>): string[] {
  const hits: string[] = [];
  for (const [file, text] of files) {
    if (file === STREAM_MODULE) continue;
    for (const re of [...HAND_WIRED, DEFINITIONS])
      for (const m of text.matchAll(re)) {
        const line = text.slice(0, m.index).split('\n').length;
        hits.push(`${file}:${line}: ${m[0].replace(/\s+/g, ' ').slice(0, 60)}`);
      }
  }
  return hits;
}

describe('streams: every component and unit wires streams through src/hdl/stream.ts', () => {
  it('src/ wires no valid/ready port by name and defines Beat, packBeat, unpackBeat once', () => {
    const files = sourceTexts('src');
    expect(files.size).to.be.greaterThan(100);
    expect(streamBypasses(files)).to.deep.equal([]);
    const stream = files.get(STREAM_MODULE) ?? '';
    expect([...stream.matchAll(DEFINITIONS)].map((m) => m[2])).to.deep.equal([
      'type Beat =',
      'function packBeat',
      'function unpackBeat',
    ]);
  });

  it('codes are packed into a field by one implementation (arith/codes.ts, arith/lanes.ts)', () => {
    const files = sourceTexts('src');
    expect(strayPackers(files)).to.deep.equal([]);
    expect(
      strayPackers(new Map([['src/ir/pack.ts', 'export function packCodes(c: number[]) {}']])),
    ).to.deep.equal(['src/ir/pack.ts:1: export function packCodes']);
  });

  it('the scan finds each hand-wired form and a second Beat', () => {
    const files = new Map([
      [
        'src/ir/x.ts',
        [
          "inst.connect('in_valid', v);",
          'inst.connect({',
          '  in_a: a,',
          '  out_ready: lit(1, u(1)),',
          '});',
          'h.connect({ [`in_${p}_valid`]: s.valid, [`in_${p}`]: s.data });',
          'const r = h.out(`in_${p}_ready`);',
          "const v = inst.out('out_valid');",
          "inst.connect({ acc, shift: d }).out('code');",
          "import { type Beat } from '../hdl/index.js';",
          'type Beat = Record<string, bigint>;',
        ].join('\n'),
      ],
      [STREAM_MODULE, "h.connect(`${prefix}_valid`, s.valid); h.out('out_valid');"],
    ]);
    expect(streamBypasses(files)).to.deep.equal([
      "src/ir/x.ts:1: .connect('in_valid'",
      'src/ir/x.ts:2: .connect({ in_a: a, out_ready:',
      'src/ir/x.ts:6: .connect({ [`in_${p}_valid`]:',
      'src/ir/x.ts:7: .out(`in_${p}_ready`',
      "src/ir/x.ts:8: .out('out_valid'",
      'src/ir/x.ts:11: type Beat =',
    ]);
  });

  it("every registered component's ports (clk and rst aside) are exactly its stream fields", () => {
    let checked = 0;
    for (const kind of listComponents())
      for (const ex of kind.examples) {
        const config = parseConfig(kind, ex.config, `${kind.kind}.examples.${ex.name}`);
        const f = kind.stream(config);
        const want = [
          'input in_valid 1',
          'output in_ready 1',
          ...f.in.map((x) => `input in_${x.name} ${x.width}`),
          'output out_valid 1',
          'input out_ready 1',
          ...f.out.map((x) => `output out_${x.name} ${x.width}`),
        ].sort();
        const nl = elaborate(kind.generate(config));
        const got = findModule(nl, nl.top).ports.map(
          (p) => `${p.dir === 'in' ? 'input' : 'output'} ${p.name} ${p.width}`,
        );
        expect(got.sort(), `${kind.kind} ${ex.name}`).to.deep.equal(want);
        checked++;
      }
    expect(checked).to.be.greaterThan(40);
  });
});
