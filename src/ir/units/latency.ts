// Schedule helpers shared by the units' `schedule` (schedule.ts, docs/ir.md "Schedule and cycle
// budget"): a registry component's latency, the output stage's extra cycles, a token-serial unit.
import { getComponent, parseConfig } from '../../components/index.js';
import { internalError } from '../../hdl/index.js';
import type { UnitSchedule } from '../schedule.js';
import type { LinearUnitConfig } from '../units.js';

/** `latencyCycles` of a registry component for a unit's stored config. */
export function componentLatency(kind: string, config: unknown, where: string): number {
  const k = getComponent(kind);
  return k.derive(parseConfig(k, config, where)).latencyCycles;
}

/**
 * Extra cycles of the shared output stage (hw-out.ts) after the last group's totals: none for an
 * int cast; binary32 register + `mx-quantize` for an MX output; binary32 register + `olive-encoder`
 * (+ `mx-scale` for olive4_dyn) for an OliVe output.
 */
export function outputStageCycles(
  node: string,
  c: Pick<LinearUnitConfig, 'outOlive' | 'outFeatures'> & {
    outMxFormat?: string;
    outDialect?: true;
  },
): number {
  if (c.outDialect) return 1 + componentLatency('dialect-quantize', { k: c.outFeatures }, node);
  if (c.outMxFormat !== undefined) {
    // one mx-quantize per block, side by side (hw-out.ts quantizeStage): one block's latency
    const k = Math.min(c.outFeatures, c.outMxFormat === 'nvfp4' ? 16 : 32);
    return 1 + componentLatency('mx-quantize', { format: c.outMxFormat, k }, node);
  }
  if (!c.outOlive) return 0;
  const pairs = c.outFeatures / 2;
  const enc = componentLatency(
    'olive-encoder',
    { variant: c.outOlive.variant, pairs, stages: 1 },
    node,
  );
  const dyn = c.outOlive.dynamic;
  const scale = dyn
    ? componentLatency(
        'mx-scale',
        { format: dyn.format, policy: dyn.policy, k: c.outFeatures, stages: 1 },
        node,
      )
    : 0;
  return 1 + scale + enc;
}

/** A token-serial unit (one token at a time): it takes the next token the cycle after its offer. */
export function serial(steps: number, latency: number): UnitSchedule {
  return { steps, latency, interval: latency + 1 };
}

/**
 * A token-serial unit whose token fills a double-buffered SRAM in C chunks (control.ts
 * `tokenFill`): the offered beat is taken with its last chunk, C − 1 cycles after it is first
 * offered (the `hold` on the producer), and reaches the step controller one cycle later (latency
 * + 1 from the handshake); the next token fills while this one computes, so the interval stays
 * that of the register form (its old latency + 1).
 */
export function bufferedSerial(steps: number, latency: number, chunks: number): UnitSchedule {
  return { steps, latency: latency + 1, interval: latency + 1, hold: chunks - 1 };
}

/**
 * A token-serial unit whose token arrives as C chunk beats into its double-buffered SRAM
 * (decision 53): the first beat is the handshake, the last one comes C − 1 cycles later and the
 * token reaches the step controller one cycle after it (latency + C); the producer is not held
 * (every beat is taken while the fill half is free), and the interval is the register form's.
 */
export function chunkedSerial(steps: number, latency: number, chunks: number): UnitSchedule {
  return { steps, latency: latency + chunks, interval: latency + 1 };
}

/**
 * A unit whose output token drains from a double-buffered SRAM (decision 53) takes its next
 * token in the cycle it first offers the finished one, one cycle sooner than from a register.
 */
export function outBuffered(s: UnitSchedule): UnitSchedule {
  return { ...s, interval: s.interval - 1 };
}

/** SRAM (memory) or the port register (stream): the lanes are fed one cycle after the step. */
export function readCycles(c: Pick<LinearUnitConfig, 'storage'>): number {
  return c.storage === 'embedded' ? 0 : 1;
}

/** Latency of the unit's registry lane component (its `component.kind` and config). */
export function laneLatency(c: LinearUnitConfig): number {
  const comp = c.component;
  if (!comp || comp.kind === 'vector') throw internalError(`${c.node}: no registry lanes`);
  return componentLatency(comp.kind, comp.config, `${c.node}.component`);
}

/** An MX output's extra cycles: a register and the mx-quantize after the lanes (else 0). */
export function quantizeCycles(c: LinearUnitConfig): number {
  const q = c.component?.kind === 'mx-dot' ? c.component.quantize : undefined;
  return q ? 1 + componentLatency('mx-quantize', q, `${c.node}.quantize`) : 0;
}
