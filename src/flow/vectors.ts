// Vector files (`mxgen-vectors/1`, docs/cocotb.md): the ports and streams of a design's top, the
// input beats and the expected output beats from the golden models, as deterministic JSON with
// hex strings. The cocotb bridge (cocotb-bridge/mxgen_cocotb/vectors.py) reads them.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeRng, type AnyComponentKind } from '../components/index.js';
import { MxgenError, type Beat, type ModuleDef } from '../hdl/index.js';

export const VECTOR_FORMAT = 'mxgen-vectors/1';

export interface VectorPort {
  readonly name: string;
  readonly direction: 'input' | 'output';
  readonly width: number;
}

export interface VectorField {
  /** Field name used in beats (`a` for port `in_a`). */
  readonly name: string;
  readonly port: string;
  readonly width: number;
}

export interface VectorStream {
  readonly valid: string;
  readonly ready: string;
  readonly fields: readonly VectorField[];
}

/** A beat as reference models produce it: field name -> bit pattern. */
/** A Beat (src/hdl/stream.ts), or the same fields as a Map (callers building beats by name). */
export type BeatLike = Beat | ReadonlyMap<string, bigint>;

export interface VectorInput {
  readonly design: string;
  readonly top: string;
  readonly seed: number;
  /** Top ports including clk and rst (see `vectorPortsOf`). */
  readonly ports: readonly VectorPort[];
  readonly inBeats: readonly BeatLike[];
  readonly outBeats: readonly BeatLike[];
  readonly latencyCycles?: number;
  /** Input ports outside the streams, held at one value for the whole run. */
  readonly constants?: ReadonlyMap<string, bigint>;
}

/** The ports of a netlist module as a vector file lists them: clk and rst first when clocked. */
export function vectorPortsOf(m: ModuleDef): VectorPort[] {
  const clocked: VectorPort[] = m.clocked
    ? [
        { name: 'clk', direction: 'input', width: 1 },
        { name: 'rst', direction: 'input', width: 1 },
      ]
    : [];
  return [
    ...clocked,
    ...m.ports.map((p): VectorPort => ({
      name: p.name,
      direction: p.dir === 'in' ? 'input' : 'output',
      width: p.width,
    })),
  ];
}

function streamOf(
  ports: readonly VectorPort[],
  prefix: 'in' | 'out',
  top: string,
  constants: ReadonlySet<string>,
): VectorStream {
  const dir = prefix === 'in' ? 'input' : 'output';
  const need = (name: string, direction: 'input' | 'output'): string => {
    const p = ports.find((x) => x.name === name);
    if (!p || p.direction !== direction || p.width !== 1)
      throw new MxgenError(
        'config',
        `top ${top} has no 1-bit ${direction} port ${name}, so it has no ${prefix} stream`,
        { hint: 'vector files need the valid/ready ports of docs/streams.md' },
      );
    return name;
  };
  const valid = need(`${prefix}_valid`, dir);
  const ready = need(`${prefix}_ready`, prefix === 'in' ? 'output' : 'input');
  const fields = ports
    .filter(
      (p) =>
        p.direction === dir &&
        p.name.startsWith(`${prefix}_`) &&
        p.name !== valid &&
        p.name !== ready &&
        !constants.has(p.name),
    )
    .map((p) => ({ name: p.name.slice(prefix.length + 1), port: p.name, width: p.width }));
  if (fields.length === 0)
    throw new MxgenError(
      'config',
      `the ${prefix} stream of top ${top} has no ${prefix}_<field> ports`,
    );
  return { valid, ready, fields };
}

/** The in and out streams of a top, from the port names of docs/streams.md. */
export function streamsOf(
  ports: readonly VectorPort[],
  top: string,
  constants: ReadonlySet<string> = new Set(),
): { in: VectorStream; out: VectorStream } {
  return {
    in: streamOf(ports, 'in', top, constants),
    out: streamOf(ports, 'out', top, constants),
  };
}

/** `0x`, lowercase, zero-padded to ceil(width / 4) digits. */
export function hexValue(value: bigint, width: number): string {
  const digits = Math.max(1, Math.ceil(width / 4));
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

function beatValue(beat: BeatLike, name: string): bigint | undefined {
  return beat instanceof Map ? beat.get(name) : (beat as Beat)[name];
}

function beatKeys(beat: BeatLike): string[] {
  return beat instanceof Map ? [...beat.keys()] : Object.keys(beat);
}

function checkedHex(value: bigint | undefined, width: number, where: string): string {
  if (value === undefined)
    throw new MxgenError('shape', `${where} is missing`, {
      hint: 'a reference model must give every field of every beat',
    });
  if (value < 0n || value >= 1n << BigInt(width))
    throw new MxgenError('shape', `${where} = ${value} does not fit in ${width} bits`, {
      hint: 'beats hold unsigned bit patterns of the field width',
    });
  return hexValue(value, width);
}

function beatJson(stream: VectorStream, beat: BeatLike, where: string): string {
  const known = new Set(stream.fields.map((f) => f.name));
  const extra = beatKeys(beat).find((k) => !known.has(k));
  if (extra !== undefined)
    throw new MxgenError('shape', `${where} has field ${extra}, which the stream does not have`, {
      notes: [`the stream's fields are ${[...known].join(', ')}`],
    });
  const parts = stream.fields.map(
    (f) =>
      `${JSON.stringify(f.name)}: "${checkedHex(beatValue(beat, f.name), f.width, `${where}.${f.name}`)}"`,
  );
  return `{ ${parts.join(', ')} }`;
}

function beatsJson(stream: VectorStream, beats: readonly BeatLike[], key: string): string {
  if (beats.length === 0) return '[]';
  const lines = beats.map((b, i) => `    ${beatJson(stream, b, `${key}[${i}]`)}`);
  return `[\n${lines.join(',\n')}\n  ]`;
}

/** The vector file's text: deterministic (same input, same bytes), one beat per line. */
export function formatVectorFile(v: VectorInput): string {
  const constants = v.constants ?? new Map<string, bigint>();
  const streams = streamsOf(v.ports, v.top, new Set(constants.keys()));
  const driven = new Set(['clk', 'rst', streams.in.valid, streams.out.ready, ...constants.keys()]);
  for (const f of streams.in.fields) driven.add(f.port);
  const undriven = v.ports.find((p) => p.direction === 'input' && !driven.has(p.name));
  if (undriven)
    throw new MxgenError(
      'config',
      `input port ${undriven.name} of top ${v.top} is neither a stream port nor a constant`,
      { hint: 'give its value in `constants`, or rename it in_<field> if it belongs to a beat' },
    );
  const j = (x: unknown): string => JSON.stringify(x);
  const stream = (s: VectorStream): string =>
    `{\n      "valid": ${j(s.valid)},\n      "ready": ${j(s.ready)},\n      "fields": [\n` +
    s.fields
      .map((f) => `        ${j({ name: f.name, port: f.port, width: f.width })}`)
      .join(',\n') +
    `\n      ]\n    }`;
  const ports = v.ports.map(
    (p) => `    ${j({ name: p.name, direction: p.direction, width: p.width })}`,
  );
  const consts = [...constants].map(([name, value]) => {
    const p = v.ports.find((x) => x.name === name && x.direction === 'input');
    if (!p) throw new MxgenError('config', `constant ${name} is not an input port of top ${v.top}`);
    return `    ${j(name)}: "${checkedHex(value, p.width, `constants.${name}`)}"`;
  });
  const lines = [
    '{',
    `  "format": ${j(VECTOR_FORMAT)},`,
    `  "design": ${j(v.design)},`,
    `  "top": ${j(v.top)},`,
    `  "seed": ${j(v.seed)},`,
    ...(v.latencyCycles === undefined ? [] : [`  "latencyCycles": ${j(v.latencyCycles)},`]),
    `  "clock": "clk",`,
    `  "reset": "rst",`,
    `  "ports": [\n${ports.join(',\n')}\n  ],`,
    `  "streams": {\n    "in": ${stream(streams.in)},\n    "out": ${stream(streams.out)}\n  },`,
    ...(consts.length === 0 ? [] : [`  "constants": {\n${consts.join(',\n')}\n  },`]),
    `  "inBeats": ${beatsJson(streams.in, v.inBeats, 'inBeats')},`,
    `  "outBeats": ${beatsJson(streams.out, v.outBeats, 'outBeats')}`,
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** Writes `text` to `path` atomically (a temporary sibling renamed into place). */
export function writeTextAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    throw new MxgenError(
      'io',
      `cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
      },
    );
  }
}

/** Formats and writes a vector file; returns its text. */
export function writeVectorFile(path: string, v: VectorInput): string {
  const text = formatVectorFile(v);
  writeTextAtomic(path, text);
  return text;
}

export interface ComponentVectorOptions {
  readonly design: string;
  /** Number of random input beats. */
  readonly count: number;
  readonly seed: number;
  /** SV name of the top (default: the netlist module's name). */
  readonly top?: string;
}

/** `count` random input beats of a component (seeded) and the expected output beats from its
 * reference model (the TS golden models); `top` is the component's elaborated top module. */
export function componentVectors(
  kind: AnyComponentKind,
  config: unknown,
  top: ModuleDef,
  opts: ComponentVectorOptions,
): VectorInput {
  if (!Number.isInteger(opts.count) || opts.count < 1)
    throw new MxgenError('usage', `--count must be a positive integer; got ${opts.count}`);
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffff_ffff)
    throw new MxgenError('usage', `--seed must be an integer in [0, 2^32); got ${opts.seed}`);
  const rng = makeRng(opts.seed);
  const inBeats = Array.from({ length: opts.count }, () => kind.randomBeat(config, rng));
  const outBeats = kind.reference(config, inBeats);
  return {
    design: opts.design,
    top: opts.top ?? top.name,
    seed: opts.seed,
    latencyCycles: kind.derive(config).latencyCycles,
    ports: vectorPortsOf(top),
    inBeats,
    outBeats,
  };
}
