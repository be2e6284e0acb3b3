// `mxgen doctor` as a library call: each external tool, found and in its needed version or not.
import { TOOLS, describeProblem, neededRange, probeTool } from '../backends/index.js';

export interface ToolLine {
  readonly ok: boolean;
  /** `name  version (need range)` when usable, else what is wrong and how to fix it. */
  readonly text: string;
}

export function toolReport(): ToolLine[] {
  return TOOLS.map((spec) => {
    const s = probeTool(spec);
    return s.ok
      ? { ok: true, text: `${s.name.padEnd(18)} ${s.found} (need ${neededRange(s)})` }
      : { ok: false, text: describeProblem(s) };
  });
}
