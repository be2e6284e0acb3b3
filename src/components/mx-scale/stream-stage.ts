// A valid/ready pipeline of `stages` registers (docs/streams.md): full throughput, stalls as a
// whole from the output back (each stage accepts when it is empty or its successor accepts).
// Shared by the MX and OliVe generators; out_valid and the data never depend on in_* directly.
import { type Expr, type ModuleBuilder, MxgenError, u } from '../../hdl/index.js';

export interface StageIo {
  /** u1: the producer offers a beat. */
  readonly inValid: Expr;
  /** u1: the consumer accepts the output beat. */
  readonly outReady: Expr;
  /** The beat's fields, computed combinationally from the input beat, in port order. */
  readonly data: readonly { readonly name: string; readonly value: Expr }[];
}

export interface StageOut {
  readonly inReady: Expr;
  readonly outValid: Expr;
  /** The registered fields, same order and names. */
  readonly data: readonly { readonly name: string; readonly value: Expr }[];
}

/**
 * Registers `io.data` through `stages` ≥ 1 pipeline stages named `<field>_s<i>`, numbered from
 * `firstStage` (so a second segment after more logic continues the numbering).
 */
export function streamStages(
  m: ModuleBuilder,
  io: StageIo,
  stages: number,
  firstStage = 1,
): StageOut {
  if (!Number.isInteger(stages) || stages < 1)
    throw new MxgenError('usage', `streamStages needs at least one stage; got ${stages}`, {
      hint: 'pass stages = latencyCycles (≥ 1)',
    });
  const valids = Array.from({ length: stages }, (_, i) =>
    m.reg(`valid_s${firstStage + i}`, u(1), { init: 0 }),
  );
  const readys = Array.from({ length: stages }, (_, i) => m.wire(`ready_s${firstStage + i}`, u(1)));
  let prevValid = io.inValid;
  let prevData = io.data;
  for (let i = 0; i < stages; i++) {
    const v = valids[i]!;
    const nextReady = i + 1 < stages ? readys[i + 1]! : io.outReady;
    // Stage i accepts when it holds nothing or its content leaves this cycle.
    readys[i]!.set(v.not().or(nextReady));
    const load = readys[i]!.and(prevValid);
    v.next(prevValid, readys[i]!);
    prevData = prevData.map((d) => ({
      name: d.name,
      value: m.reg(`${d.name}_s${firstStage + i}`, d.value.shape, { init: 0 }).next(d.value, load),
    }));
    prevValid = v;
  }
  return { inReady: readys[0]!, outValid: prevValid, data: prevData };
}
