// Orders the combinational slots (cells and memory reads) so that every value is computed after
// its operands: depth-first post-order from slot 0 upwards, hence deterministic. A cycle is a
// `comb-loop` error naming each hop with its location.
import { MxgenError } from '../hdl/index.js';
import type { Slot } from './flatten.js';

/** One hop of a combinational loop: the signal's label and its source location. */
export type LoopHop = readonly [label: string, loc: string | undefined];

export function combLoopError(hops: readonly LoopHop[]): MxgenError {
  const names = hops.map(([l]) => l);
  const first = hops[0];
  return new MxgenError(
    'comb-loop',
    `combinational loop through ${hops.length} signal${hops.length === 1 ? '' : 's'}: ${[...names, names[0]].join(' -> ')}`,
    {
      loc: first?.[1],
      hint: 'break the loop with a register, or compute the value from signals that do not depend on it',
      notes: hops.map(([l, loc]) => `${l} at ${loc ?? 'unknown location'}`),
    },
  );
}

/** The combinational operands of a slot (none for inputs, constants and register outputs). */
export function depsOf(slot: Slot): readonly number[] {
  const d = slot.def;
  if (d.kind === 'cell') return d.args;
  if (d.kind === 'memRead') return [d.addr];
  if (d.kind === 'table') return [d.index];
  if (d.kind === 'prio') return [d.src];
  return [];
}

const isComb = (s: Slot | undefined): boolean =>
  s !== undefined && (s.def.kind === 'cell' || s.def.kind === 'memRead' || s.def.kind === 'table' || s.def.kind === 'prio');

/** Combinational slots in evaluation order. */
export function levelize(slots: readonly Slot[]): number[] {
  // 0 unvisited, 1 on the stack, 2 done
  const state = new Uint8Array(slots.length);
  const order: number[] = [];
  const stack: number[] = [];
  const next: number[] = [];
  for (let root = 0; root < slots.length; root++) {
    if (state[root] !== 0 || !isComb(slots[root])) continue;
    stack.push(root);
    next.push(0);
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const cur = stack[top] as number;
      const deps = depsOf(slots[cur] as Slot);
      const k = next[top] as number;
      if (k < deps.length) {
        next[top] = k + 1;
        const dep = deps[k] as number;
        if (!isComb(slots[dep])) continue;
        if (state[dep] === 1) {
          // `dep` is on the stack: the loop runs from it to `cur` and back.
          const hops = stack.slice(stack.indexOf(dep)).map((i) => {
            const s = slots[i] as Slot;
            return [s.label, s.loc] as const;
          });
          throw combLoopError(hops);
        }
        if (state[dep] === 0) {
          state[dep] = 1;
          stack.push(dep);
          next.push(0);
        }
      } else {
        state[cur] = 2;
        order.push(cur);
        stack.pop();
        next.pop();
      }
    }
  }
  return order;
}
