// Many designs, one Verilator model: a wrapper module `mxgen_cosim_top` instantiates every design
// side by side with one shared clk and rst and gives each design port its own wrapper port
// (inputs i0.., outputs o0..). All designs then run in lock step from one stimulus file, and the
// harness never sees a design's own port names (which may be C++ keywords).
import { MxgenError, topModule, type Netlist } from '../../hdl/index.js';
import type { HarnessPort, HarnessSpec } from './harness.js';

export const WRAPPER_TOP = 'mxgen_cosim_top';
export const CLOCK = 'clk';
export const RESET = 'rst';

export interface DesignPort {
  /** The netlist (builder) name: what reports and the native simulator use. */
  readonly name: string;
  readonly dir: 'in' | 'out';
  readonly width: number;
  /** The port's name in the SV text when the emitter legalized it (e.g. a keyword); else absent. */
  readonly svName?: string;
}

/** What the wrapper needs to know about one design: its top module and its ports. */
export interface DesignInterface {
  readonly top: string;
  /** Ports in declaration order, clk and rst excluded. */
  readonly ports: readonly DesignPort[];
  /** True when the top module has clk and rst inputs. */
  readonly clocked: boolean;
}

export interface PortColumn {
  readonly port: string;
  readonly width: number;
  /** Index into the wrapper's `spec.inputs` or `spec.outputs`. */
  readonly column: number;
}

export interface DesignLayout {
  readonly top: string;
  readonly clocked: boolean;
  readonly inputs: readonly PortColumn[];
  readonly outputs: readonly PortColumn[];
}

export interface Wrapper {
  /** SystemVerilog text of the wrapper module (append it to the designs' text). */
  readonly sv: string;
  readonly spec: HarnessSpec;
  /** Column of the shared reset input in `spec.inputs`, or null when no design is clocked. */
  readonly resetColumn: number | null;
  readonly designs: readonly DesignLayout[];
}

/**
 * The interface of a netlist's top module. With the emitted SV (`sv`, `svTop`), port names are
 * taken from the SV port list in declaration order, so names the emitter legalized still connect.
 */
export function interfaceOf(nl: Netlist, sv?: { text: string; top: string }): DesignInterface {
  const m = topModule(nl);
  const svNames = sv ? svPortNames(sv.text, sv.top).filter((n) => n !== CLOCK && n !== RESET) : [];
  if (sv && svNames.length !== m.ports.length)
    throw new MxgenError(
      'io',
      `SV module ${sv.top} has ${svNames.length} ports; the netlist has ${m.ports.length}`,
      {
        hint: 'pass the SV that emitSv produced for this netlist',
      },
    );
  return {
    top: sv?.top ?? m.name,
    clocked: m.clocked,
    ports: m.ports.map((p, i) => {
      const svName = svNames[i];
      return svName !== undefined && svName !== p.name
        ? { name: p.name, dir: p.dir, width: p.width, svName }
        : { name: p.name, dir: p.dir, width: p.width };
    }),
  };
}

/** Port names of module `top` in an ANSI-style SV header, in declaration order. */
export function svPortNames(sv: string, top: string): string[] {
  const start = sv.search(new RegExp(`^\\s*module\\s+${top}\\b`, 'm'));
  if (start < 0) throw new MxgenError('io', `SV text has no module ${top}`);
  const header = sv.slice(start, sv.indexOf(');', start));
  const names: string[] = [];
  for (const m of header.matchAll(
    /\b(?:input|output)\s+(?:logic\s*)?(?:signed\s*)?(?:\[[^\]]*\]\s*)?([A-Za-z_][A-Za-z0-9_$]*)/g,
  ))
    if (m[1]) names.push(m[1]);
  return names;
}

function decl(dir: 'input' | 'output', width: number, name: string): string {
  return `  ${dir} logic ${width === 1 ? '' : `[${width - 1}:0] `}${name}`;
}

/** Builds the wrapper for `designs` (at least one), in the given order. */
export function wrapDesigns(designs: readonly DesignInterface[]): Wrapper {
  if (designs.length === 0) throw new MxgenError('usage', 'wrapDesigns needs at least one design');
  for (const d of designs) {
    if (d.top === WRAPPER_TOP)
      throw new MxgenError('name', `design top module may not be called ${WRAPPER_TOP}`, {
        hint: 'rename the design',
      });
  }
  const anyClocked = designs.some((d) => d.clocked);
  const inputs: HarnessPort[] = [];
  const outputs: HarnessPort[] = [];
  const decls: string[] = [];
  if (anyClocked) {
    decls.push(decl('input', 1, CLOCK), decl('input', 1, RESET));
    inputs.push({ name: RESET, width: 1 });
  }
  const body: string[] = [];
  const layouts: DesignLayout[] = designs.map((d, i) => {
    const conns: string[] = d.clocked ? [`.${CLOCK}(${CLOCK})`, `.${RESET}(${RESET})`] : [];
    const ins: PortColumn[] = [];
    const outs: PortColumn[] = [];
    for (const p of d.ports) {
      const list = p.dir === 'in' ? inputs : outputs;
      const name = `${p.dir === 'in' ? 'i' : 'o'}${list.length}`;
      (p.dir === 'in' ? ins : outs).push({ port: p.name, width: p.width, column: list.length });
      list.push({ name, width: p.width });
      decls.push(decl(p.dir === 'in' ? 'input' : 'output', p.width, name));
      conns.push(`.${p.svName ?? p.name}(${name})`);
    }
    body.push(`  ${d.top} u${i} (${conns.join(', ')});`);
    return { top: d.top, clocked: d.clocked, inputs: ins, outputs: outs };
  });
  if (decls.length === 0) decls.push(decl('input', 1, 'unused_in'));
  const sv = [
    '// Generated by mxgen: co-simulation wrapper, one instance per design',
    '/* verilator lint_off UNUSEDSIGNAL */',
    `module ${WRAPPER_TOP} (`,
    decls.join(',\n'),
    ');',
    ...body,
    'endmodule',
    '/* verilator lint_on UNUSEDSIGNAL */',
    '',
  ].join('\n');
  return {
    sv,
    spec: { inputs, outputs, clock: anyClocked ? CLOCK : null },
    resetColumn: anyClocked ? 0 : null,
    designs: layouts,
  };
}
