// Design files (YAML, or the same object from TypeScript) → Graph, validated at the boundary:
// every error is one line naming the file, the field path and what was expected.
import { z } from 'zod';
import { didYouMean, MxgenError } from '../hdl/index.js';
import { checkFormatMap, NumericsError } from '../numerics/index.js';
import { atomMixedName, formatClass, knownFormatNames, mixedFormatName } from './formats.js';
import {
  OP_KINDS,
  ROW_OP_KINDS,
  type Graph,
  type Node,
  type RowOpKind,
  type WeightsStorage,
} from './graph.js';
import { kvFormatOf, kvFormatSchema } from './kv-format.js';
import { rowOpDef } from './row-ops/registry.js';

const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an identifier');
const pos = z.number().int().positive();
// Given weights and biases: finite and at most 1e30 in magnitude, so that the FP64 reference
// (sums of products) cannot overflow to Inf/NaN; the error names the tensor and the index.
const num = z
  .number()
  .finite()
  .refine((v) => Math.abs(v) <= 1e30, 'value out of range: |v| must be at most 1e30');
const storage = z.enum(['embedded', 'memory', 'stream']);
const portBits = z.number().int().min(8).max(4096);
const pe = z.enum(['auto', 'vector', 'scalable-pe', 'mac-array']);

const inputSchema = z.strictObject({
  op: z.literal('input'),
  name: ident,
  features: pos,
  // Real input rows (`features` values each): token t of tensor v is row v·tokens + t.
  values: z.array(z.array(num)).optional(),
});
const linearSchema = z.strictObject({
  op: z.literal('linear'),
  name: ident,
  input: ident,
  features: pos,
  bias: z.boolean().default(false),
  weights: z.array(z.array(num)).optional(),
  bias_values: z.array(num).optional(),
  weights_storage: storage.optional(),
  weight_port_bits: portBits.optional(),
  pe: pe.optional(),
});
const matmulSchema = z.strictObject({
  op: z.literal('matmul'),
  name: ident,
  input: ident,
  features: pos,
  weights: z.array(z.array(num)).optional(),
  weights_storage: storage.optional(),
  weight_port_bits: portBits.optional(),
  pe: pe.optional(),
});
const reluSchema = z.strictObject({ op: z.literal('relu'), name: ident, input: ident });
const addSchema = z.strictObject({ op: z.literal('add'), name: ident, a: ident, b: ident });
const castSchema = z.strictObject({
  op: z.literal('cast'),
  name: ident,
  input: ident,
  to: z.union([z.string(), z.record(z.unknown())]),
});
// attention: expands into `<name>_qkv` (linear to q|k|v), with `rope:` `<name>_rope` (RoPE on q
// and k by position), `<name>_core` (kv_attention: the decode step over the KV cache) and
// `<name>` (linear back to `features`); docs/ir.md "Attention".
const attentionSchema = z.strictObject({
  op: z.literal('attention'),
  name: ident,
  input: ident,
  features: pos,
  heads: pos,
  kv_heads: pos.optional(),
  kv_format: kvFormatSchema,
  kv_capacity: pos.optional(),
  bias: z.boolean().default(false),
  score_bits: z.number().int().min(2).max(16).default(12),
  score_exp: z.number().int().min(-16).max(4).default(-5),
  prob_bits: z.number().int().min(2).max(15).default(8),
  // RoPE on q and k by position (decision 38): `<name>_rope` between `<name>_qkv` and the core
  rope: z
    .strictObject({
      base: z
        .number()
        .int('rope base must be an integer')
        .min(2, 'rope base must be at least 2')
        .max(1_000_000, 'rope base must be at most 1000000')
        .default(10000),
      frac_bits: z
        .number()
        .int('rope frac_bits must be an integer')
        .min(2, 'rope frac_bits (cos/sin table precision) must be 2..20')
        .max(20, 'rope frac_bits (cos/sin table precision) must be 2..20')
        .default(14),
    })
    .optional(),
  weights_storage: storage.optional(),
  // Given values (an imported model, docs/onnx.md): the fused q|k|v projection `<name>_qkv`
  // ([(heads + 2·kv_heads)·head_dim][input features]) and the output projection `<name>`.
  qkv_weights: z.array(z.array(num)).optional(),
  qkv_bias_values: z.array(num).optional(),
  weights: z.array(z.array(num)).optional(),
  bias_values: z.array(num).optional(),
});
const SCHEMAS = {
  input: inputSchema,
  attention: attentionSchema,
  linear: linearSchema,
  matmul: matmulSchema,
  relu: reluSchema,
  add: addSchema,
  cast: castSchema,
} as const;

/** A row op's design-file schema, from its definition (row-ops/): operands, `<role>_values`, its fields. */
function rowSchema(op: RowOpKind): z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown> {
  const d = rowOpDef(op);
  return z.strictObject({
    op: z.literal(d.designOp ?? op),
    name: ident,
    ...Object.fromEntries(d.operandFields.map((f) => [f, ident])),
    ...Object.fromEntries(d.params.map((r) => [`${r}_values`, z.array(num).optional()])),
    ...d.fields,
  });
}

const OPS = [
  ...Object.keys(SCHEMAS).filter((k) => k !== 'attention'),
  ...ROW_OP_KINDS.filter((k) => rowOpDef(k).designOp === undefined),
  'attention',
];
type DesignNode = z.infer<(typeof SCHEMAS)[keyof typeof SCHEMAS]>;

/**
 * A format in `precision:`: a name, or a per-channel / per-group format map (docs/ir.md "Mixed
 * precision inside a tensor"): Atom's `{ outliers, group }` or explicit `{ ranges: [...] }`.
 */
const formatSpec = z.union(
  [
    z.string(),
    z.strictObject({ outliers: z.number().int().nonnegative(), group: pos }),
    z.strictObject({
      ranges: z
        .array(
          z.strictObject({
            start: z.number().int(),
            end: z.number().int(),
            bits: z.number().int(),
            group: z.number().int(),
          }),
        )
        .min(1),
    }),
  ],
  {
    errorMap: (issue, ctx) => ({
      message:
        issue.code === 'invalid_union'
          ? 'expected a format name, a format map { outliers, group } or { ranges: [{ start, end, bits, group }, ...] }'
          : ctx.defaultError,
    }),
  },
);
type FormatSpec = z.infer<typeof formatSpec>;

/** The format name of a `precision:` entry; a map's ranges must start at 0 without gaps or overlaps. */
function formatNameOf(file: string, path: string, f: FormatSpec): string {
  if (typeof f === 'string') return f;
  if ('outliers' in f) return atomMixedName(f.outliers, f.group);
  const map = f.ranges.map((r) => ({
    start: r.start,
    end: r.end,
    bits: r.bits,
    groupSize: r.group,
  }));
  try {
    checkFormatMap(map, map[map.length - 1]?.end ?? 0, 'ranges');
  } catch (e) {
    if (e instanceof NumericsError) fail(file, path, e.message.replace('.groupSize', '.group'));
    throw e;
  }
  return mixedFormatName(map);
}

const topSchema = z.strictObject({
  design: ident,
  description: z.string().optional(),
  seed: z.number().int().nonnegative().default(1),
  macs: pos.default(64),
  tokens: pos.default(4),
  weights_storage: storage.default('memory'),
  weight_port_bits: portBits.default(256),
  tokens_per_weight_fetch: z
    .literal(1, {
      errorMap: () => ({
        message:
          'only 1 is supported (decode: every token fetches the weights); batching weight fetches over tokens is not built yet',
      }),
    })
    .default(1),
  graph: z.array(z.unknown()).min(1),
  outputs: z.array(ident).min(1).optional(),
  precision: z.strictObject({
    weights: formatSpec,
    activations: formatSpec,
    input: formatSpec.optional(),
    tensors: z.record(formatSpec).default({}),
  }),
});

function fail(file: string, path: string, message: string, hint?: string): never {
  throw new MxgenError('config', `${file}: ${path}: ${message}`, hint ? { hint } : {});
}

function pathOf(prefix: string, p: readonly (string | number)[]): string {
  return p.reduce<string>(
    (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k),
    prefix,
  );
}

function parseWith<T>(
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  raw: unknown,
  file: string,
  prefix: string,
): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  if (!i) fail(file, prefix || '(root)', 'invalid');
  const path = pathOf(prefix, i.path) || '(root)';
  if (i.code === 'invalid_type' && i.received === 'undefined')
    fail(file, path, `missing field (expected ${i.expected})`);
  if (i.code === 'unrecognized_keys')
    fail(file, path, `unknown field ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`);
  fail(file, path, i.message);
}

function checkFormat(file: string, path: string, name: string): void {
  if (formatClass(name) === undefined)
    fail(
      file,
      path,
      `unknown format ${JSON.stringify(name)}${didYouMean(name, knownFormatNames())}`,
      `known formats: ${knownFormatNames().join(', ')}; or a format map { outliers, group } / { ranges: [...] } (docs/ir.md)`,
    );
}

/** Validates a parsed design file (or the object a TS design builds) and returns its graph. */
export function designToGraph(raw: unknown, file: string): Graph {
  const top = parseWith(topSchema, raw, file, '');
  const nodes: Node[] = [];
  const where: Record<string, string> = {};
  const add = (n: Node, path: string): void => {
    if (where[n.name] !== undefined)
      fail(file, `${path}.name`, `${n.name} is defined twice (first at ${where[n.name]})`);
    nodes.push(n);
    where[n.name] = path;
  };
  const refAt = (path: string, field: string, name: string): void => {
    if (where[name] === undefined)
      fail(
        file,
        `${path}.${field}`,
        `unknown tensor ${JSON.stringify(name)} (define it earlier in graph)`,
      );
  };
  // A row op: its operands, one constant per param role (`<name>.gamma`, values from
  // `gamma_values` or seeded; one per feature, sized by infer) and its own fields as attrs.
  const addRowOp = (op: RowOpKind, f: Record<string, unknown>, path: string): void => {
    const d = rowOpDef(op);
    const name = String(f.name);
    const inputs = d.operandFields.map((k) => {
      refAt(path, k, String(f[k]));
      return String(f[k]);
    });
    const params = d.params.map((role) => {
      const values = f[`${role}_values`] as number[] | undefined;
      add(
        {
          op: 'const',
          name: `${name}.${role}`,
          role,
          shape: [-1],
          ...(values ? { values } : {}),
        },
        `${path}.${role}_values`,
      );
      return `${name}.${role}`;
    });
    const attrs: Record<string, string | number> = {};
    for (const k of Object.keys(d.fields)) {
      const v = f[k];
      if (typeof v === 'string' || typeof v === 'number') attrs[k] = v;
    }
    add({ op, name, inputs, params, attrs }, path);
  };
  // attention → q|k|v linear, kv_attention, output linear (checked here: the heads, the KV
  // format and the KV length against the cache).
  const addAttention = (n: z.infer<typeof attentionSchema>, path: string, tokens: number): void => {
    const kvHeads = n.kv_heads ?? n.heads;
    if (n.heads % kvHeads !== 0)
      fail(
        file,
        `${path}.kv_heads`,
        `attention ${n.name}: kv_heads ${kvHeads} must divide heads ${n.heads}`,
      );
    const d = n.features / n.heads;
    if (!Number.isInteger(d) || !Number.isInteger(Math.log2(d) / 2))
      fail(
        file,
        `${path}.heads`,
        `attention ${n.name}: ${n.features} features over ${n.heads} heads give head_dim ${Number.isInteger(d) ? d : n.features / n.heads}; head_dim must be a whole power of 4 (1/√head_dim a power of two)`,
        'choose heads so that features / heads is 1, 4, 16, 64 or 256',
      );
    if (typeof n.kv_format === 'string') checkFormat(file, `${path}.kv_format`, n.kv_format);
    const kf = kvFormatOf(n.kv_format, n.name);
    if ('error' in kf)
      fail(file, `${path}.kv_format${kf.field ? `.${kf.field}` : ''}`, kf.error, kf.hint);
    const capacity = n.kv_capacity ?? tokens;
    if (tokens > capacity)
      fail(
        file,
        `${path}.kv_capacity`,
        `attention ${n.name}: KV length ${tokens} (tokens) is past the KV cache's ${capacity} positions`,
        `raise kv_capacity to at least ${tokens} or decode fewer tokens`,
      );
    const qkv = `${n.name}_qkv`;
    const core = `${n.name}_core`;
    const linear = (
      name: string,
      input: string,
      features: number,
      bias: boolean,
      field: 'weights' | 'qkv_weights',
    ): void => {
      const w = n[field];
      const bfield = field === 'weights' ? 'bias_values' : 'qkv_bias_values';
      const b = n[bfield];
      if (w && w.length !== features)
        fail(file, `${path}.${field}`, `has ${w.length} rows; expected ${features}`);
      if (b && b.length !== features)
        fail(file, `${path}.${bfield}`, `has ${b.length} values; expected ${features}`);
      if (b && !bias)
        fail(file, `${path}.${bfield}`, `attention ${n.name}: bias values need bias: true`);
      add(
        {
          op: 'const',
          name: `${name}.weight`,
          role: 'weight',
          shape: [features, -1],
          ...(w ? { values: w.flat() } : {}),
        },
        `${path}.${field}`,
      );
      if (bias)
        add(
          {
            op: 'const',
            name: `${name}.bias`,
            role: 'bias',
            shape: [features],
            ...(b ? { values: b } : {}),
          },
          `${path}.${b ? bfield : 'bias'}`,
        );
      add(
        {
          op: 'linear',
          name,
          input,
          weight: `${name}.weight`,
          features,
          ...(bias ? { bias: `${name}.bias` } : {}),
          ...(n.weights_storage ? { weightsStorage: n.weights_storage } : {}),
        },
        path,
      );
    };
    linear(qkv, n.input, (n.heads + 2 * kvHeads) * d, n.bias, 'qkv_weights');
    if (n.rope) {
      if (d % 2 !== 0)
        fail(
          file,
          `${path}.rope`,
          `attention ${n.name}: RoPE rotates pairs of features; head_dim ${d} is odd`,
          'choose heads so that features / heads is even, or drop rope',
        );
      add(
        {
          op: 'rope',
          name: `${n.name}_rope`,
          inputs: [qkv],
          params: [],
          attrs: {
            heads: n.heads,
            kv_heads: kvHeads,
            seq_len: tokens,
            base: n.rope.base,
            frac_bits: n.rope.frac_bits,
          },
        },
        `${path}.rope`,
      );
    }
    add(
      {
        op: 'kv_attention',
        name: core,
        inputs: [n.rope ? `${n.name}_rope` : qkv],
        params: [],
        attrs: {
          heads: n.heads,
          kv_heads: kvHeads,
          kv_kind: kf.kind,
          kv_bits: kf.bits,
          kv_capacity: capacity,
          seq_len: tokens,
          score_bits: n.score_bits,
          score_exp: n.score_exp,
          prob_bits: n.prob_bits,
        },
      },
      path,
    );
    linear(n.name, core, n.features, n.bias, 'weights');
  };
  top.graph.forEach((rawNode, i) => {
    const path = `graph[${i}]`;
    const ref = (field: string, name: string): void => refAt(path, field, name);
    const op = (rawNode as { op?: unknown } | null)?.op;
    if (op === undefined)
      fail(
        file,
        `${path}.op`,
        `missing field (expected one of ${OP_KINDS.filter((k) => k !== 'const').join(', ')})`,
      );
    if (typeof op !== 'string' || !OPS.includes(op))
      fail(
        file,
        `${path}.op`,
        `unknown op ${JSON.stringify(op)}; expected one of ${OPS.join(', ')}${typeof op === 'string' ? didYouMean(op, OPS) : ''}`,
      );
    // `matmul` naming `a` (or `b`) instead of `input`: the product of two activations.
    const two =
      op === 'matmul' &&
      typeof rawNode === 'object' &&
      rawNode !== null &&
      !('input' in rawNode) &&
      ('a' in rawNode || 'b' in rawNode);
    const rowOp = two ? 'act_matmul' : op;
    if ((ROW_OP_KINDS as readonly string[]).includes(rowOp)) {
      addRowOp(
        rowOp as RowOpKind,
        parseWith(rowSchema(rowOp as RowOpKind), rawNode, file, path),
        path,
      );
      return;
    }
    const schema = SCHEMAS[op as keyof typeof SCHEMAS] as z.ZodType<
      DesignNode,
      z.ZodTypeDef,
      unknown
    >;
    const n = parseWith(schema, rawNode, file, path);
    switch (n.op) {
      case 'input': {
        const bad = n.values?.findIndex((r) => r.length !== n.features) ?? -1;
        if (bad >= 0)
          fail(
            file,
            `${path}.values[${bad}]`,
            `has ${n.values?.[bad]?.length} values; expected features = ${n.features}`,
          );
        add(
          {
            op: 'input',
            name: n.name,
            shape: [top.tokens, n.features],
            ...(n.values ? { values: n.values.flat() } : {}),
          },
          path,
        );
        break;
      }
      case 'linear':
      case 'matmul': {
        ref('input', n.input);
        const wname = `${n.name}.weight`;
        const wvals = n.weights?.flat();
        add(
          {
            op: 'const',
            name: wname,
            role: 'weight',
            shape: [n.features, -1],
            ...(wvals ? { values: wvals } : {}),
          },
          `${path}.weights`,
        );
        if (n.weights && n.weights.length !== n.features)
          fail(
            file,
            `${path}.weights`,
            `has ${n.weights.length} rows; expected features = ${n.features}`,
          );
        let bias: string | undefined;
        if (n.op === 'linear' && (n.bias || n.bias_values)) {
          bias = `${n.name}.bias`;
          if (n.bias_values && n.bias_values.length !== n.features)
            fail(
              file,
              `${path}.bias_values`,
              `has ${n.bias_values.length} values; expected features = ${n.features}`,
            );
          add(
            {
              op: 'const',
              name: bias,
              role: 'bias',
              shape: [n.features],
              ...(n.bias_values ? { values: n.bias_values } : {}),
            },
            `${path}.bias`,
          );
        }
        if (n.op === 'linear')
          add(
            {
              op: 'linear',
              name: n.name,
              input: n.input,
              weight: wname,
              features: n.features,
              ...(bias ? { bias } : {}),
              ...(n.weights_storage ? { weightsStorage: n.weights_storage } : {}),
              ...(n.weight_port_bits ? { weightPortBits: n.weight_port_bits } : {}),
              ...(n.pe ? { pe: n.pe } : {}),
            },
            path,
          );
        else
          add(
            {
              op: 'matmul',
              name: n.name,
              a: n.input,
              b: wname,
              ...(n.weights_storage ? { weightsStorage: n.weights_storage } : {}),
              ...(n.weight_port_bits ? { weightPortBits: n.weight_port_bits } : {}),
              ...(n.pe ? { pe: n.pe } : {}),
            },
            path,
          );
        break;
      }
      case 'relu':
        ref('input', n.input);
        add({ op: 'relu', name: n.name, input: n.input }, path);
        break;
      case 'attention':
        ref('input', n.input);
        addAttention(n, path, top.tokens);
        break;
      case 'add':
        ref('a', n.a);
        ref('b', n.b);
        add({ op: 'add', name: n.name, a: n.a, b: n.b }, path);
        break;
      case 'cast': {
        ref('input', n.input);
        const to =
          typeof n.to === 'string'
            ? n.to
            : formatNameOf(file, `${path}.to`, parseWith(formatSpec, n.to, file, `${path}.to`));
        checkFormat(file, `${path}.to`, to);
        add({ op: 'cast', name: n.name, input: n.input, to }, path);
        break;
      }
    }
  });
  const rp = top.precision;
  const p = {
    weights: formatNameOf(file, 'precision.weights', rp.weights),
    activations: formatNameOf(file, 'precision.activations', rp.activations),
    input: rp.input === undefined ? undefined : formatNameOf(file, 'precision.input', rp.input),
    tensors: Object.fromEntries(
      Object.entries(rp.tensors).map(([k, v]) => [
        k,
        formatNameOf(file, `precision.tensors.${k}`, v),
      ]),
    ),
  };
  checkFormat(file, 'precision.weights', p.weights);
  checkFormat(file, 'precision.activations', p.activations);
  if (p.input !== undefined) checkFormat(file, 'precision.input', p.input);
  for (const [k, v] of Object.entries(p.tensors)) {
    if (where[k] === undefined)
      fail(
        file,
        `precision.tensors.${k}`,
        `unknown tensor ${JSON.stringify(k)}`,
        `tensors: ${Object.keys(where).join(', ')}`,
      );
    checkFormat(file, `precision.tensors.${k}`, v);
  }
  const last = nodes[nodes.length - 1];
  const outputs = top.outputs ?? (last ? [last.name] : []);
  outputs.forEach((o, i) => {
    if (where[o] === undefined) fail(file, `outputs[${i}]`, `unknown tensor ${JSON.stringify(o)}`);
  });
  return {
    name: top.design,
    seed: top.seed,
    macs: top.macs,
    weightsStorage: top.weights_storage,
    weightPortBits: top.weight_port_bits,
    nodes,
    outputs,
    precision: {
      weights: p.weights,
      activations: p.activations,
      tensors: p.tensors,
      ...(p.input !== undefined ? { input: p.input } : {}),
    },
    facts: [],
    where: { ...where, $file: file },
  };
}

/** Where a node was defined, for messages: `file: graph[i]`. */
export function locate(g: Graph, name: string): string {
  return `${g.where.$file ?? g.name}: ${g.where[name] ?? name}`;
}

/** A design graph with the command line's `--seed` and `--weights-storage` applied. */
export function withOverrides(
  g: Graph,
  o: { readonly seed?: number; readonly weightsStorage?: WeightsStorage },
): Graph {
  const nodes =
    o.weightsStorage === undefined
      ? g.nodes
      : g.nodes.map((n) =>
          n.op === 'linear' || n.op === 'matmul' ? { ...n, weightsStorage: o.weightsStorage } : n,
        );
  return {
    ...g,
    nodes,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.weightsStorage === undefined ? {} : { weightsStorage: o.weightsStorage }),
  };
}
