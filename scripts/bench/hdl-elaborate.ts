// Builder + elaborate() speed on a 64x64 int8 MAC array (target: well under 2 s), three ways:
// one shared PE builder, a fresh PE builder per instance (dedup by name), and a flat array
// (every PE inlined in one module); each with source locations on and off.
import type { BenchRecord } from '../bench.js';
import {
  type Expr,
  elaborate,
  ModuleBuilder,
  s,
  setSrcLocCapture,
  srcLocCaptureEnabled,
  u,
} from '../../src/hdl/index.js';

/** Array side of the benchmark (the tests run it at a tiny size). */
const N_DEFAULT = 64;

/** One PE's datapath: acc += a * b when en; a and b pass on registered. */
function peBody(m: ModuleBuilder, p: string, a: Expr, b: Expr, en: Expr): [Expr, Expr, Expr] {
  const acc = m.reg(`${p}acc`, s(24), { enable: en });
  acc.next(acc.add(a.mul(b).extend(24)).trunc(24));
  const aq = m.reg(`${p}a_q`, s(8)).next(a);
  const bq = m.reg(`${p}b_q`, s(8)).next(b);
  return [aq, bq, acc];
}

function pe(): ModuleBuilder {
  const m = new ModuleBuilder('mac_pe_int8_acc24');
  const [aq, bq, acc] = peBody(m, '', m.input('a', s(8)), m.input('b', s(8)), m.input('en', u(1)));
  m.output('a_out', s(8)).set(aq);
  m.output('b_out', s(8)).set(bq);
  m.output('acc_out', s(24)).set(acc);
  return m;
}

function array(mode: 'shared' | 'fresh' | 'flat', N: number): ModuleBuilder {
  const m = new ModuleBuilder(`mac_array_${N}x${N}_${mode}`);
  const en = m.input('en', u(1));
  const left: Expr[] = Array.from({ length: N }, (_, i) => m.input(`a_${i}`, s(8)));
  const top: Expr[] = Array.from({ length: N }, (_, j) => m.input(`b_${j}`, s(8)));
  const shared = pe();
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      let outs: [Expr, Expr, Expr];
      if (mode === 'flat') outs = peBody(m, `pe_${i}_${j}_`, left[i] as Expr, top[j] as Expr, en);
      else {
        const inst = m.instance(mode === 'shared' ? shared : pe(), `pe_${i}_${j}`);
        inst.connect({ a: left[i] as Expr, b: top[j] as Expr, en });
        outs = [inst.out('a_out'), inst.out('b_out'), inst.out('acc_out')];
      }
      left[i] = outs[0];
      top[j] = outs[1];
      m.output(`acc_${i}_${j}`, s(24)).set(outs[2]);
    }
  return m;
}

function time(
  mode: 'shared' | 'fresh' | 'flat',
  n: number,
): {
  buildMs: number;
  elabMs: number;
  nets: number;
} {
  const t0 = performance.now();
  const b = array(mode, n);
  const t1 = performance.now();
  const nl = elaborate(b);
  const t2 = performance.now();
  const nets = nl.modules.reduce((t, d) => t + d.nets.length, 0);
  return { buildMs: t1 - t0, elabMs: t2 - t1, nets };
}

export async function run(o: { n?: number } = {}): Promise<BenchRecord[]> {
  const N = o.n ?? N_DEFAULT;
  const before = srcLocCaptureEnabled();
  const out: BenchRecord[] = [];
  for (const srcloc of [true, false]) {
    setSrcLocCapture(srcloc);
    for (const mode of ['shared', 'fresh', 'flat'] as const) {
      time(mode, N); // warm-up
      const r = time(mode, N);
      out.push({
        name: `hdl.elaborate.mac${N}x${N}.${mode}`,
        srcloc,
        ...r,
        totalMs: r.buildMs + r.elabMs,
      });
    }
  }
  setSrcLocCapture(before);
  return out;
}
