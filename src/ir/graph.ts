// The dataflow graph: tensor ops with typed metadata slots (no string-keyed dictionaries).
// Every node produces one tensor; `type` (shape and format) is filled in by `infer`/`quantize`,
// `parallelism` by `parallelize` and `unit` by `lower`.
import type { TensorFormat } from './formats.js';
import type { UnitConfig } from './units.js';

/**
 * Element-wise and row-wise ops over the token's feature vector (issue 13): each is defined once,
 * in `src/ir/row-ops/<op>.ts` (design-file fields, accepted formats, golden, FP64, component),
 * and handled generically everywhere else (`RowOpNode`, the `row-unit`).
 */
export type RowOpKind =
  | 'layernorm'
  | 'rmsnorm'
  | 'gelu'
  | 'silu'
  | 'softmax'
  | 'mul'
  | 'hadamard'
  | 'act_matmul'
  | 'kv_attention'
  | 'rope';
export const ROW_OP_KINDS: readonly RowOpKind[] = [
  'layernorm',
  'rmsnorm',
  'gelu',
  'silu',
  'softmax',
  'mul',
  'hadamard',
  'act_matmul',
  'kv_attention',
  'rope',
];

/**
 * `matmul` in a design file is a linear without bias when it names `input` and `features`, and
 * the product of two activations (row op `act_matmul`, design op `matmul` with `a` and `b`) when
 * it names `a` and `b`.
 */
export type OpKind = 'input' | 'const' | 'linear' | 'matmul' | 'relu' | 'add' | 'cast' | RowOpKind;
export const OP_KINDS: readonly OpKind[] = [
  'input',
  'const',
  'linear',
  'matmul',
  'relu',
  'add',
  'cast',
  ...ROW_OP_KINDS.filter((k) => k !== 'act_matmul' && k !== 'kv_attention' && k !== 'rope'),
];

export interface TensorType {
  /** [tokens, features] for activations, [out, in] for weights, [out] for biases. */
  readonly shape: readonly number[];
  /** The requested format name (from the precision mix) and, after `quantize`, the calibrated one. */
  readonly formatName?: string;
  readonly format?: TensorFormat;
}

export interface Parallelism {
  /** Output features computed side by side. */
  readonly lanes: number;
  /** Input features multiplied per lane per cycle. */
  readonly tile: number;
  readonly macs: number;
  /** Cycles per token (busy cycles, handshakes excluded). */
  readonly cyclesPerToken: number;
}

interface NodeBase {
  readonly name: string;
  type?: TensorType;
  parallelism?: Parallelism;
  unit?: UnitConfig;
}

export interface InputNode extends NodeBase {
  readonly op: 'input';
  readonly shape: readonly number[];
  /**
   * Real input rows (row-major, `features` values per row; design field `values`, or
   * `mxgen run --inputs x.npy`): token t of tensor v is row v·tokens + t, and calibration uses
   * them too (data.ts `inputReals`). Seeded random tokens when absent.
   */
  readonly values?: readonly number[];
}
export interface ConstNode extends NodeBase {
  readonly op: 'const';
  readonly shape: readonly number[];
  /** `gamma` / `beta`: a norm's per-feature scale and shift (one value per feature). */
  readonly role: 'weight' | 'bias' | 'gamma' | 'beta';
  /** Real values given in the design file (row-major); seeded random reals when absent. */
  readonly values?: readonly number[];
}
/**
 * Where a layer unit keeps its weights: `embedded` = constants in the logic (smallest for tiny
 * layers; the RTL depends on the values), `memory` = on-chip SRAMs initialised from data files and
 * writable through the weight-load port (the RTL does not depend on the values), `stream` = one
 * step's weights per cycle from an external port (`w_<layer>_valid/ready/data`, a modelled
 * DRAM/HBM of `weightPortBits` bits per cycle), fetched again for every token.
 */
export type WeightsStorage = 'embedded' | 'memory' | 'stream';

/**
 * The lanes a layer asks for (design field `pe`): `auto` picks by the precision pair and the
 * storage (docs/ir.md "Lanes"), the others force a lane kind where it fits the pair.
 */
export type LanePreference = 'auto' | 'vector' | 'scalable-pe' | 'mac-array';

export interface LinearNode extends NodeBase {
  readonly op: 'linear';
  readonly input: string;
  readonly weight: string;
  readonly bias?: string;
  readonly features: number;
  /** Overrides the design's `weightsStorage` for this layer. */
  readonly weightsStorage?: WeightsStorage;
  /** Overrides the design's `weightPortBits` (stream mode). */
  readonly weightPortBits?: number;
  readonly pe?: LanePreference;
}
export interface MatmulNode extends NodeBase {
  readonly op: 'matmul';
  readonly a: string;
  readonly b: string;
  readonly weightsStorage?: WeightsStorage;
  readonly weightPortBits?: number;
  readonly pe?: LanePreference;
}
export interface ReluNode extends NodeBase {
  readonly op: 'relu';
  readonly input: string;
}
export interface AddNode extends NodeBase {
  readonly op: 'add';
  readonly a: string;
  readonly b: string;
}
export interface CastNode extends NodeBase {
  readonly op: 'cast';
  readonly input: string;
  readonly to: string;
}

/** An element-wise or row-wise op (`ROW_OP_KINDS`); its definition lives in `row-ops/`. */
export interface RowOpNode extends NodeBase {
  readonly op: RowOpKind;
  /** Activation operands in port order (one: `x`; two: `a`, `b`). */
  readonly inputs: readonly string[];
  /** Per-feature constants the op reads (norms: `<op>.gamma`, then `<op>.beta`). */
  readonly params: readonly string[];
  /** The op's own design-file fields (gelu `form`, norm `eps_mantissa`/`eps_exp`). */
  readonly attrs: Readonly<Record<string, string | number>>;
}

export type Node =
  InputNode | ConstNode | LinearNode | MatmulNode | ReluNode | AddNode | CastNode | RowOpNode;

export function isRowOp(n: Node): n is RowOpNode {
  return (ROW_OP_KINDS as readonly string[]).includes(n.op);
}

export interface PrecisionMix {
  /** Default format of weights (linear/matmul constants). */
  readonly weights: string;
  /** Default format of activations (op outputs). */
  readonly activations: string;
  /** Format of graph inputs (default: activations). */
  readonly input?: string;
  /** Per tensor overrides: node name (`fc1`, `x`) or constant name (`fc1.weight`). */
  readonly tensors: Readonly<Record<string, string>>;
}

export interface Graph {
  readonly name: string;
  readonly seed: number;
  /** MAC budget for `parallelize`. */
  readonly macs: number;
  /** Default weight storage of the layer units (design field `weights_storage`). */
  readonly weightsStorage: WeightsStorage;
  /** Bits per cycle of a `stream` layer's weight port (design field `weight_port_bits`). */
  readonly weightPortBits: number;
  readonly nodes: Node[];
  readonly outputs: readonly string[];
  readonly precision: PrecisionMix;
  /** Facts established by passes (`shapes`, `formats`, `quantized`, ...). */
  readonly facts: string[];
  /** Where each node came from (design file field path), for error messages. */
  readonly where: Readonly<Record<string, string>>;
}

/** Names of the tensors a node reads, in operand order. */
export function operands(n: Node): string[] {
  switch (n.op) {
    case 'input':
    case 'const':
      return [];
    case 'linear':
      return n.bias ? [n.input, n.weight, n.bias] : [n.input, n.weight];
    case 'matmul':
    case 'add':
      return [n.a, n.b];
    case 'relu':
    case 'cast':
      return [n.input];
    default:
      return [...n.inputs, ...n.params];
  }
}

export function nodeByName(g: Graph, name: string): Node | undefined {
  return g.nodes.find((n) => n.name === name);
}

/** Nodes that read `name`. */
export function consumers(g: Graph, name: string): Node[] {
  return g.nodes.filter((n) => operands(n).includes(name));
}

/** A deep copy (passes never change their input graph). */
export function cloneGraph(g: Graph): Graph {
  return structuredClone(g);
}

/**
 * The graph as JSON (`--dump-after`), keys in a fixed order, bigint-free. Typed arrays (weight
 * codes) are plain arrays written on one line each: one number per line made a GPT-2 FFN's
 * graph.json 77 MB and 15 % of its `mxgen run`.
 */
export function graphJson(g: Graph): string {
  const inline: string[] = [];
  const plain = (_k: string, v: unknown): unknown =>
    v instanceof Uint8Array || v instanceof Uint16Array
      ? `\u0000mxgen-inline:${inline.push(`[${v.join(',')}]`) - 1}`
      : v;
  const text = JSON.stringify(g, plain, 2).replace(
    /"\\u0000mxgen-inline:(\d+)"/g,
    (_m, i: string) => inline[Number(i)] as string,
  );
  return `${text}\n`;
}
