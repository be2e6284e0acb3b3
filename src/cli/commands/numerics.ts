// `mxgen numerics encode|decode|quantize|dot`: the golden number formats from the command line.
// Inputs are binary32 values (decimal or 0x bit patterns) or codes; --json prints one array.
import { Command, Option, type ParseOptionsResult } from 'commander';
import { readFileSync } from 'node:fs';
import { didYouMean, MxgenError } from '../../flow/index.js';
import {
  add as addExact,
  decode,
  FORMAT_ALIASES,
  listFormats,
  listMxFormats,
  dequantize,
  dotGeneral,
  encode,
  type EncodeOptions,
  type Exact,
  fromBinary32Bits,
  INT_RANGES,
  getFormat,
  getMxFormat,
  NumericsError,
  nvfp4Decode,
  nvfp4Dot,
  nvfp4Quantize,
  oliveDecode,
  oliveEncode,
  type OliveVariant,
  oliveValues,
  type IntRange,
  type Overflow,
  OVERFLOWS,
  parseBinary32,
  quantize,
  type Rounding,
  ROUNDINGS,
  SCALE_POLICIES,
  type ScalePolicy,
  toBinary32Bits,
  toDecimalString,
} from '../../numerics/index.js';
import { action, reportError } from '../action.js';

/** Parsed options; the policy names are checked by commander's `choices` before an action runs. */
interface Opts {
  format: string;
  rounding?: Rounding;
  overflow?: Overflow;
  range?: IntRange;
  random?: string;
  sigma?: string;
  scalePolicy?: ScalePolicy;
  blockSize?: string;
  file?: string;
  json?: boolean;
  a?: string;
  b?: string;
}

type Row = Record<string, string | number>;
const hex = (n: number, digits: number): string =>
  `0x${n.toString(16).toUpperCase().padStart(digits, '0')}`;
const b32 = (bits: number): string => hex(bits >>> 0, 8);

/** Reads inputs from the arguments and/or a file: a JSON array, or CSV / whitespace text. */
function readInputs(values: readonly string[], file?: string): string[] {
  const all = readInputsRaw(values, file);
  if (all.length === 0)
    throw new MxgenError('usage', 'no input values given', {
      hint: 'pass values as arguments (e.g. 1.5 -2 0x3f800000) or with --file',
    });
  return all;
}

function readInputsRaw(values: readonly string[], file?: string): string[] {
  const out = [...values.flatMap((v) => v.split(',')).map((s) => s.trim())].filter(Boolean);
  if (file === undefined) return out;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MxgenError('io', `cannot read input file '${file}': ${(e as Error).message}`);
  }
  if (text.trimStart().startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(text);
    } catch (e) {
      throw new NumericsError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'string' || typeof x === 'number'))
      throw new NumericsError(`${file} must hold one JSON array of numbers or strings`);
    return [...out, ...arr.map(String)];
  }
  return [...out, ...text.split(/[\s,]+/).filter(Boolean)];
}

function encodeOptions(o: Opts): EncodeOptions {
  return {
    rounding: o.rounding ?? 'rne',
    overflow: o.overflow,
    range: o.range,
    random: o.random === undefined ? undefined : BigInt(parseInteger(o.random, 'random')),
  };
}

function parseInteger(text: string, what: string): number {
  const t = text.trim();
  const v = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(v))
    throw new NumericsError(`${what} '${text}' is not an integer: write decimal or 0x hex`);
  return v;
}

function valueRow(input: string, x: Exact): Row {
  return { value: toDecimalString(x), binary32: b32(toBinary32Bits(x)), input };
}

function print(rows: Row[], json?: boolean): void {
  if (json) {
    console.log(JSON.stringify(rows, null, 2));
    return;
  }
  for (const r of rows)
    console.log(
      Object.entries(r)
        .map(([k, v]) => `${k}=${v}`)
        .join('  '),
    );
}

const isOlive = (format: string): format is OliveVariant =>
  format === 'olive4' || format === 'olive8';

/** One row per OliVe pair: its code(s), the (int, shift) terms and the values σ·(int << shift). */
function oliveRows(bytes: Uint8Array, v: OliveVariant, sigma: string, inputs: string[]): Row[] {
  const terms = oliveDecode(bytes, v);
  const vals = oliveValues(bytes, { binary32: parseBinary32(sigma) }, v).map(toDecimalString);
  const per = v === 'olive4' ? 1 : 2;
  const rows: Row[] = [];
  for (let j = 0; j < terms.length / 2; j++) {
    const [t0, t1] = [terms[2 * j], terms[2 * j + 1]];
    rows.push({
      input: inputs[j] ?? '',
      code: [...bytes.subarray(per * j, per * j + per)].map((b) => hex(b, 2)).join(','),
      int: `${t0?.int},${t1?.int}`,
      shift: `${t0?.shift},${t1?.shift}`,
      value: `${vals[2 * j]},${vals[2 * j + 1]}`,
    });
  }
  return rows;
}

/** OliVe encode (formats.md 6.4): pairs of values → pair codes; an odd tail is padded with +0. */
function runOliveEncode(values: string[], o: Opts, v: OliveVariant): Row[] {
  for (const flag of ['rounding', 'overflow', 'range', 'random'] as const)
    if (o[flag] !== undefined)
      throw new NumericsError(`--${flag} does not apply to ${v}: it has one rounding rule (6.4)`);
  const inputs = readInputs(values, o.file);
  const sigma = o.sigma ?? '1';
  const bits = inputs.map((x) => ({ binary32: parseBinary32(x) }));
  const bytes = oliveEncode(bits, { binary32: parseBinary32(sigma) }, v);
  const pairs = bytes.length / (v === 'olive4' ? 1 : 2);
  const labels = [...Array(pairs).keys()].map((j) => `${inputs[2 * j]},${inputs[2 * j + 1] ?? 0}`);
  return oliveRows(bytes, v, sigma, labels);
}

/** OliVe decode (6.3, 6.6): olive4 one byte per pair, olive8 two consecutive bytes per pair. */
function runOliveDecode(values: string[], o: Opts, v: OliveVariant): Row[] {
  const inputs = readInputs(values, o.file);
  const codes = inputs.map((x) => {
    const c = parseInteger(x, 'code');
    if (c > 0xff) throw new NumericsError(`code ${x} is out of range for ${v}: use 0..0xFF`);
    return c;
  });
  if (v === 'olive8' && codes.length % 2 !== 0)
    throw new NumericsError(
      `olive8 decodes pairs of bytes: give an even number of codes; got ${codes.length}`,
    );
  const per = v === 'olive4' ? 1 : 2;
  const labels = [...Array(codes.length / per).keys()].map((j) =>
    inputs.slice(per * j, per * j + per).join(','),
  );
  return oliveRows(Uint8Array.from(codes), v, o.sigma ?? '1', labels);
}

function noSigma(o: Opts): void {
  if (o.sigma !== undefined)
    throw new NumericsError(`--sigma applies to olive4 and olive8 only, not ${o.format}`);
}

function runEncode(values: string[], o: Opts): Row[] {
  if (isOlive(o.format)) return runOliveEncode(values, o, o.format);
  noSigma(o);
  const f = getFormat(o.format);
  const opts = encodeOptions(o);
  const digits = Math.ceil(f.bits / 4);
  return readInputs(values, o.file).map((input) => {
    const bits = parseBinary32(input);
    const code = encode(f, { binary32: bits }, opts);
    return {
      input,
      binary32: b32(bits),
      code: hex(code, digits),
      value: toDecimalString(decode(f, code)),
    };
  });
}

function runDecode(values: string[], o: Opts): Row[] {
  if (isOlive(o.format)) return runOliveDecode(values, o, o.format);
  noSigma(o);
  const f = getFormat(o.format);
  const digits = Math.ceil(f.bits / 4);
  return readInputs(values, o.file).map((input) => {
    const code = parseInteger(input, 'code');
    const v = decode(f, code);
    return {
      input,
      code: hex(code, digits),
      value: toDecimalString(v),
      binary32: b32(toBinary32Bits(v)),
    };
  });
}

/** NVFP4 has one scale rule (9.2) and k = 16: the MX options would be silently ignored. */
function nvfp4Fixed(o: Opts): void {
  if (o.scalePolicy !== undefined || o.blockSize !== undefined)
    throw new NumericsError(
      `nvfp4 has a fixed scale rule and block size 16: drop --scale-policy and --block-size`,
    );
}

function runQuantize(values: string[], o: Opts): Row[] {
  const inputs = readInputs(values, o.file);
  const bits = inputs.map(parseBinary32);
  const rows: Row[] = [];
  if (o.format === 'nvfp4') {
    nvfp4Fixed(o);
    for (let i = 0; i < bits.length; i += 16) {
      const blk = nvfp4Quantize(bits.slice(i, i + 16));
      const vals = nvfp4Decode(blk);
      blk.codes.slice(0, Math.min(16, bits.length - i)).forEach((c, j) =>
        rows.push({
          input: inputs[i + j] ?? '',
          block: i / 16,
          scale: hex(blk.scale, 2),
          code: hex(c, 1),
          value: toDecimalString(vals[j] as Exact),
        }),
      );
    }
    return rows;
  }
  const f = getMxFormat(o.format);
  const k = o.blockSize === undefined ? f.blockSize : parseInteger(o.blockSize, 'block size');
  const blocks = quantize(bits, f, { k, scalePolicy: o.scalePolicy ?? 'floor' });
  const digits = Math.ceil(f.element.bits / 4);
  blocks.forEach((blk, bi) => {
    const vals = dequantize(blk);
    blk.codes.forEach((c, j) => {
      const idx = bi * k + j;
      if (idx >= inputs.length) return;
      rows.push({
        input: inputs[idx] ?? '',
        block: bi,
        scale: hex(blk.scale, 2),
        code: hex(c, digits),
        value: toDecimalString(vals[j] as Exact),
      });
    });
  });
  return rows;
}

function runDot(values: string[], o: Opts): Row[] {
  if (o.a === undefined || o.b === undefined)
    throw new NumericsError(
      `dot needs --a and --b, each a comma-separated list of binary32 values`,
    );
  const a = readInputs([o.a]).map(parseBinary32);
  const b = readInputs([o.b]).map(parseBinary32);
  if (values.length)
    throw new NumericsError(`dot takes its vectors from --a and --b, not arguments`);
  if (a.length !== b.length)
    throw new NumericsError(
      `--a has ${a.length} values and --b has ${b.length}: give equal lengths`,
    );
  const input = `a=[${o.a}] b=[${o.b}]`;
  if (o.format === 'nvfp4') {
    nvfp4Fixed(o);
    let acc: Exact = fromBinary32Bits(0);
    for (let i = 0; i < a.length; i += 16) {
      const d = nvfp4Dot(nvfp4Quantize(a.slice(i, i + 16)), nvfp4Quantize(b.slice(i, i + 16)));
      acc = addExact(acc, d);
    }
    const r = valueRow(input, acc);
    return [{ input, code: r.binary32 ?? '', value: r.value ?? '' }];
  }
  const f = getMxFormat(o.format);
  const k = o.blockSize === undefined ? f.blockSize : parseInteger(o.blockSize, 'block size');
  const opts = { k, scalePolicy: o.scalePolicy ?? 'floor' };
  const r = dotGeneral(quantize(a, f, opts), quantize(b, f, opts));
  return [{ input, code: b32(r.binary32), value: toDecimalString(r.value) }];
}

/** Binary32 specials that start with '-': commander would read them as unknown options. */
const NEGATIVE_SPECIAL = /^-(nan|inf|infinity)$/i;
const SHIELD = '\u0000';

/**
 * A command whose operands may be `-Inf`, `-NaN`, `-Infinity` (any case): such tokens are
 * shielded before commander parses options and restored after, so they stay operands in their
 * place. A token right after an option that takes a value remains that option's value.
 */
class ValuesCommand extends Command {
  override parseOptions(argv: string[]): ParseOptionsResult {
    const takesValue = (flag: string | undefined): boolean =>
      flag !== undefined &&
      this.options.some((o) => (o.long === flag || o.short === flag) && (o.required || o.optional));
    const shielded = argv.map((a, i) =>
      NEGATIVE_SPECIAL.test(a) && !takesValue(argv[i - 1]) ? SHIELD + a : a,
    );
    const r = super.parseOptions(shielded);
    const restore = (a: string): string => (a.startsWith(SHIELD) ? a.slice(SHIELD.length) : a);
    return { operands: r.operands.map(restore), unknown: r.unknown.map(restore) };
  }
}

/** A subcommand taking binary32 values, with the parent's output settings. */
function valuesCommand(parent: Command, name: string): Command {
  const sub = new ValuesCommand(name).copyInheritedSettings(parent);
  parent.addCommand(sub);
  return sub;
}

/** `--scale-policy`, checked against the policies quantizeBlock accepts. */
const scalePolicyOption = (): Option =>
  new Option('--scale-policy <p>', 'MX scale rule (default floor, the OCP rule)').choices(
    SCALE_POLICIES,
  );

/** Every name `--format` may take in some numerics subcommand. */
function allFormatNames(): string[] {
  return [
    ...listFormats().map((f) => f.name),
    ...FORMAT_ALIASES.keys(),
    ...listMxFormats().map((f) => f.name),
    'nvfp4',
    'olive4',
    'olive8',
  ];
}

/** An unknown `--format` is a usage error with the closest names. */
function checkFormatName(name: unknown): void {
  if (typeof name !== 'string') return;
  const known = allFormatNames();
  if (!known.includes(name))
    throw new MxgenError(
      'usage',
      `unknown format ${JSON.stringify(name)}${didYouMean(name, known)}`,
      {
        hint: 'see `mxgen formats` for every format',
      },
    );
}

export function register(program: Command): void {
  const cmd = program
    .command('numerics')
    .description('encode, decode, MX-quantize and dot with the golden number formats')
    // Bad input is one `error[config]: …` line and exit 1, as for errors from src/numerics;
    // subcommands inherit this (commander copies output settings to new subcommands).
    .showHelpAfterError(false)
    .configureOutput({
      outputError: (text, write) => write(text.replace(/^error: /, 'error[config]: ')),
    })
    .hook('preAction', (_parent, sub) => {
      try {
        checkFormatName(sub.opts().format);
      } catch (e) {
        process.exitCode = reportError(e);
        process.exit();
      }
    });
  const common = (c: Command): Command =>
    c
      .requiredOption('--format <name>', 'format name (see `mxgen formats`)')
      .option('--file <path>', 'read inputs from a JSON array or a CSV / whitespace list')
      .option('--json', 'print one JSON array, one object per input, in input order');
  common(
    valuesCommand(cmd, 'encode').argument(
      '[values...]',
      'binary32 inputs: decimal, 0x bits, NaN, Inf, -Inf',
    ),
  )
    .description('convert binary32 values to codes of a format (olive4/olive8: value pairs)')
    .addOption(new Option('--rounding <mode>', 'rounding (default rne)').choices(ROUNDINGS))
    .option('--random <n>', 'stochastic rounding: the random r-bit integer (r = 8)')
    .addOption(
      new Option('--overflow <policy>', 'FP8 needs one; integers: saturate or wrap').choices(
        OVERFLOWS,
      ),
    )
    .addOption(new Option('--range <range>', 'integers (default full)').choices(INT_RANGES))
    .option('--sigma <s>', 'olive4/olive8: the scale σ, a binary32 value (default 1)')
    .action(action((values: string[], o: Opts) => print(runEncode(values, o), o.json)));
  common(cmd.command('decode').argument('[codes...]', 'codes: decimal or 0x hex'))
    .description('print the exact value of codes of a format (olive4/olive8: pair codes)')
    .option('--sigma <s>', 'olive4/olive8: the scale σ, a binary32 value (default 1)')
    .action(action((values: string[], o: Opts) => print(runDecode(values, o), o.json)));
  common(
    valuesCommand(cmd, 'quantize').argument('[values...]', 'binary32 inputs, blocks of k in order'),
  )
    .description('MX-quantize binary32 values (mxint8, mxfp8_e4m3, ..., or nvfp4)')
    .addOption(scalePolicyOption())
    .option('--block-size <k>', 'block size k (default 32)')
    .action(action((values: string[], o: Opts) => print(runQuantize(values, o), o.json)));
  common(cmd.command('dot').argument('[values...]', '(unused; use --a and --b)'))
    .description('exact MX dot product of two binary32 vectors quantized to a block format')
    .option('--a <list>', 'comma-separated binary32 values of A')
    .option('--b <list>', 'comma-separated binary32 values of B')
    .addOption(scalePolicyOption())
    .option('--block-size <k>', 'block size k (default 32)')
    .action(action((values: string[], o: Opts) => print(runDot(values, o), o.json)));
}
