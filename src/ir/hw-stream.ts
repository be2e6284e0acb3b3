// Stream plumbing for a DAG pipeline (docs/ir.md, "Fork and join"): an eager fork that copies one
// valid/ready stream to n consumers, and a small register-file FIFO for the short branch of a
// fork/join. Both offer `valid` from registers or their own input valid only (never from a
// consumer's ready), so a join whose ready depends on its other input's valid forms no loop.
import { digestName, type Expr, lit, ModuleBuilder, mux, u } from '../hdl/index.js';
import { ubits } from '../components/index.js';

/**
 * Eager fork: output i offers the input token until it has taken it (`done_i` remembers a branch
 * that took the token while another one stalls); the input transfers once every branch has it.
 * Ports: in_valid, in_x, in_ready; out<i>_valid, out<i>_y, out<i>_ready for i < n.
 */
export function generateFork(width: number, n: number): ModuleBuilder {
  const m = new ModuleBuilder(digestName(`stream_fork${n}`, { width, n }), {
    config: { width, n },
  });
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(width));
  const inReady = m.output('in_ready', u(1));
  const readies: Expr[] = [];
  const dones = [];
  for (let i = 0; i < n; i++) {
    const ready = m.input(`out${i}_ready`, u(1));
    const done = m.reg(`done${i}`, u(1));
    m.output(`out${i}_valid`, u(1)).set(inValid.and(done.not()));
    m.output(`out${i}_y`, u(width)).set(inX);
    readies.push(done.or(ready));
    dones.push({ done, ready });
  }
  const all = readies.reduce((a, b) => a.and(b));
  inReady.set(all);
  for (const { done, ready } of dones)
    done.next(mux(all, lit(0, u(1)), done.or(inValid.and(ready))));
  return m;
}

/**
 * A FIFO of `depth` ≥ 1 entries in registers: in_ready = not full, out_valid = not empty,
 * out_y = the oldest entry (both registered state, no combinational path through the FIFO).
 */
export function generateFifo(width: number, depth: number): ModuleBuilder {
  const m = new ModuleBuilder(digestName(`stream_fifo${depth}`, { width, depth }), {
    config: { width, depth },
  });
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(width));
  const outReady = m.input('out_ready', u(1));
  const pw = Math.max(1, ubits(BigInt(depth - 1)));
  const cw = ubits(BigInt(depth));
  const count = m.reg('count', u(cw));
  const wp = m.reg('wptr', u(pw));
  const rp = m.reg('rptr', u(pw));
  const full = count.eq(depth);
  const empty = count.eq(0);
  const push = inValid.and(full.not());
  const pop = empty.not().and(outReady);
  const step = (p: Expr): Expr => mux(p.eq(depth - 1), lit(0, u(pw)), p.addWrap(1));
  wp.next(mux(push, step(wp), wp));
  rp.next(mux(pop, step(rp), rp));
  count.next(
    mux(push.and(pop.not()), count.addWrap(1), mux(pop.and(push.not()), count.subWrap(1), count)),
  );
  const entries: Expr[] = [];
  for (let k = 0; k < depth; k++) {
    const r = m.reg(`e${k}`, u(width), { enable: push.and(wp.eq(k)) });
    r.next(inX);
    entries.push(r);
  }
  let y: Expr = entries[0] as Expr;
  for (let k = 1; k < depth; k++) y = mux(rp.eq(k), entries[k] as Expr, y);
  m.output('in_ready', u(1)).set(full.not());
  m.output('out_valid', u(1)).set(empty.not());
  m.output('out_y', u(width)).set(y);
  return m;
}
