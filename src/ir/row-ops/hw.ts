// The row unit: one registered component (softmax, layernorm, rmsnorm, gelu, silu, mul) that
// takes the whole token per beat, wrapped in the pipeline's stream ports. One operand: `in_valid`,
// `in_x`, `in_ready`; two: a join like the add unit (a token transfers when both are valid and
// the component is ready). Per-feature constants (γ, β): literals (`embedded`), or one SRAM word
// read when the token is accepted into a register stage in front of the component (`memory`; the
// SV does not depend on the values, which are a `.hex` image writable through the load port).
import { type Expr, lit, ModuleBuilder, mux, u } from '../../hdl/index.js';
import { getComponent, parseConfig } from '../../components/index.js';
import type { GeneratedUnit } from '../hw-lane-linear.js';
import { DataStore, finishStores, loadPortInputs, packWord } from '../hw-weights.js';
import { type RowUnitConfig, unitHardwareConfig } from '../units.js';

export function generateRowUnit(c: RowUnitConfig): GeneratedUnit {
  const m = new ModuleBuilder(c.module, { config: unitHardwareConfig(c) });
  const kind = getComponent(c.component.kind);
  const op = m.instance(
    kind.generate(parseConfig(kind, c.component.config, `${c.node}.component`)),
    'op',
  );
  const N = c.features;
  // 1. Input ports: one stream, or two joined
  const ins = c.inputs.map((x) => {
    const p = x.port === 'in' ? 'in' : `in_${x.port}`;
    return {
      ...x,
      valid: m.input(`${p}_valid`, u(1)),
      data: m.input(x.port === 'in' ? 'in_x' : `in_${x.port}`, u(x.features * x.bits)),
      ready: `${p}_ready`,
    };
  });
  const outReady = m.input('out_ready', u(1));
  const valid = ins.map((x) => x.valid as Expr).reduce((a, b) => a.and(b));
  const mem = c.storage === 'memory' && c.params.length > 0;
  // 2. The component's input beat: straight from the ports, or from a register stage (memory)
  let opValid: Expr = valid;
  let ready: Expr = op.out('in_ready');
  const data = new Map<string, Expr>(ins.map((x) => [x.field, x.data]));
  let srams: GeneratedUnit['srams'] = [];
  let images: GeneratedUnit['images'] = new Map();
  if (mem) {
    const v = m.reg('valid', u(1));
    ready = v.not().or(op.out('in_ready'));
    const accept = valid.and(ready);
    v.next(mux(accept, lit(1, u(1)), mux(op.out('in_ready'), lit(0, u(1)), v)));
    opValid = v;
    for (const x of ins) {
      const r = m.reg(`${x.field}_s0`, u(x.features * x.bits), { enable: accept });
      r.next(x.data);
      data.set(x.field, r);
    }
    // γ/β: one word (every param's N codes side by side), read on accept, valid with the token.
    const store = new DataStore(m, 'memory', 'p', lit(0, u(1)), 1);
    for (const p of c.params)
      data.set(
        p.field,
        store.field(p.field, N * p.bits, () => packWord(p.codes, p.bits)),
      );
    ({ srams, images } = finishStores(
      m,
      [[store, accept]],
      loadPortInputs(m),
      c.imagePrefix ?? c.node,
    ));
  } else for (const p of c.params) data.set(p.field, lit(packWord(p.codes, p.bits), u(N * p.bits)));
  op.connect('in_valid', opValid);
  for (const [field, e] of data) op.connect(`in_${field}`, e);
  op.connect('out_ready', outReady);
  // 3. Readies (a join: each input is taken when the others are valid too) and the output
  for (const x of ins) {
    const others = ins.filter((y) => y !== x).map((y) => y.valid as Expr);
    m.output(x.ready, u(1)).set(others.reduce((a, b) => a.and(b), ready));
  }
  m.output('out_valid', u(1)).set(op.out('out_valid'));
  m.output('out_y', u(N * c.outBits)).set(op.out(`out_${c.outField}`));
  return { module: m, srams, images };
}
