// Streams (docs/streams.md): the one Beat type of every component, unit, simulator and vector
// file, the one place a beat is packed into payload bits and unpacked again, and a typed
// valid/ready stream between instances (`streamOut`, `connectStream`).
import type { Expr, ExprLike } from './expr.js';
import type { InstanceHandle } from './instance.js';
import { MxgenError } from './errors.js';

/** One transfer of a stream: each payload field's bit pattern, by field name (no prefix). */
export type Beat = Readonly<Record<string, bigint>>;

/** A payload field and its width in bits. */
export interface PayloadField {
  readonly name: string;
  readonly width: number;
}

/** The payload bits of `beat`: field 0 in the least significant bits, a missing field is 0. */
export function packBeat(beat: Beat, fields: readonly PayloadField[]): bigint {
  let v = 0n;
  for (let i = fields.length - 1; i >= 0; i--) {
    const f = fields[i] as PayloadField;
    const x = beat[f.name] ?? 0n;
    if (x < 0n || x >> BigInt(f.width) !== 0n)
      throw new MxgenError(
        'shape',
        `packBeat: field ${f.name} = ${x} does not fit its ${f.width} bits`,
        { hint: 'a beat holds unsigned bit patterns of each field width' },
      );
    v = (v << BigInt(f.width)) | x;
  }
  return v;
}

/** The beat of payload bits `v` (the inverse of packBeat). */
export function unpackBeat(v: bigint, fields: readonly PayloadField[]): Beat {
  const out: Record<string, bigint> = {};
  let rest = v;
  for (const f of fields) {
    out[f.name] = BigInt.asUintN(f.width, rest);
    rest >>= BigInt(f.width);
  }
  return out;
}

/** A valid/ready stream inside a module: valid and the payload flow forward, ready back. */
export interface Stream {
  readonly valid: Expr;
  /** Payload fields by name (without the `in_`/`out_` prefix). */
  readonly payload: Readonly<Record<string, Expr>>;
}

/**
 * The port of payload field `field` of stream `prefix`: `<prefix>_<field>`, or `<prefix>` itself
 * for the field `''` (a join operand's data port, `in_a` beside `in_a_valid` and `in_a_ready`).
 */
export function payloadPort(prefix: string, field: string): string {
  return field === '' ? prefix : `${prefix}_${field}`;
}

/** Drives `<prefix>_ready` of an instance's output stream from the consumer's `ready`. */
export function streamAccept(h: InstanceHandle, ready: ExprLike, prefix = 'out'): void {
  h.connect(`${prefix}_ready`, ready);
}

/**
 * The output stream `prefix` of an instance: `<prefix>_valid` and `<prefix>_<field>` for each
 * field. With `ready`, also drives the instance's `<prefix>_ready` from it (the consumer's side).
 */
export function streamOut(
  h: InstanceHandle,
  fields: readonly string[],
  ready?: ExprLike,
  prefix = 'out',
): Stream {
  if (ready !== undefined) streamAccept(h, ready, prefix);
  return {
    valid: h.out(`${prefix}_valid`),
    payload: Object.fromEntries(fields.map((f) => [f, h.out(payloadPort(prefix, f))])),
  };
}

/** The ready of an instance's input stream `prefix` (what connectStream returns). */
export function streamReady(h: InstanceHandle, prefix = 'in'): Expr {
  return h.out(`${prefix}_ready`);
}

/**
 * Drives the input stream `prefix` of an instance (`<prefix>_valid`, `<prefix>_<field>`) from `s`,
 * for a consumer without a ready (it takes every beat); connectStream also returns the ready.
 */
export function driveStream(h: InstanceHandle, s: Stream, prefix = 'in'): void {
  h.connect(`${prefix}_valid`, s.valid);
  for (const [f, e] of Object.entries(s.payload)) h.connect(payloadPort(prefix, f), e);
}

/**
 * Drives the input stream `prefix` of an instance (`<prefix>_valid`, `<prefix>_<field>`) from `s`
 * and returns the instance's `<prefix>_ready`, which the caller connects back to the producer.
 */
export function connectStream(h: InstanceHandle, s: Stream, prefix = 'in'): Expr {
  driveStream(h, s, prefix);
  return streamReady(h, prefix);
}
