// Emitter options. Options only make the output more conservative or more annotated; none of
// them changes the meaning of the emitted SystemVerilog.

export interface EmitOptions {
  /**
   * `relative`: append `// <path:line:col>` of the builder call to declarations, registers and
   * instances. Off (`none`) by default so golden files do not churn when a generator file moves.
   */
  readonly locations?: 'none' | 'relative';
  /**
   * An unnamed single-use expression is inlined into its user when its text is at most this many
   * characters; longer ones get a declared wire. Default 40.
   */
  readonly inlineLimit?: number;
  /**
   * Products of extended operands at the operands' own widths (`$signed(a) * $signed(b)`; default
   * true). `false` spells the extensions out (`{{8{a[7]}}, a} * ...`), the form before native
   * widths: kept to measure the area difference and to prove both forms equal (docs/equiv.md).
   */
  readonly nativeProducts?: boolean;
  /**
   * Names of declared temporaries: `role` (default) names them after their role or origin
   * (`acc_next`, `u_pe0_out_acc`, `x_tok_shr`; src/emit/sv/roles.ts); `index` names them
   * `_t<net index>` (hints kept), the form the equivalence proofs use: Yosys pairs signals by
   * name, and role names of two different netlists need not correspond (docs/equiv.md).
   */
  readonly tempNames?: 'role' | 'index';
  /**
   * Constant tables (mux trees over one index with constant leaves, src/emit/sv/tables.ts) as a
   * `case` in `always_comb` (default true); false prints them as `?:` trees.
   */
  readonly tablesAsCase?: boolean;
}

export interface ResolvedOptions {
  readonly locations: 'none' | 'relative';
  readonly inlineLimit: number;
  readonly nativeProducts: boolean;
  readonly tempNames: 'role' | 'index';
  readonly tablesAsCase: boolean;
}

export function resolveOptions(o: EmitOptions = {}): ResolvedOptions {
  return {
    locations: o.locations ?? 'none',
    inlineLimit: o.inlineLimit ?? 40,
    nativeProducts: o.nativeProducts ?? true,
    tempNames: o.tempNames ?? 'role',
    tablesAsCase: o.tablesAsCase ?? true,
  };
}
