// Name legalization (src/emit/sv/names.ts) and the emitter's small text helpers
// (src/emit/sv/writer.ts, literal/select/bitsFor of expr.ts), with the expected strings written out.
import { expect } from 'chai';
import { Namer, sanitize } from '../../../src/emit/sv/names.js';
import { bitsFor, literal, renderCell, type Operand } from '../../../src/emit/sv/expr.js';
import {
  alignedAssigns,
  joinComments,
  logicDecl,
  mergeWaivers,
  range,
  waived,
  withComment,
  wrapConcat,
} from '../../../src/emit/sv/writer.js';

describe('emit/sv names and text helpers', () => {
  it('sanitize: illegal characters become _, a leading digit or $ gets a _ prefix, empty is _', () => {
    expect(sanitize('a.b-c d')).to.equal('a_b_c_d');
    expect(sanitize('ok_$9')).to.equal('ok_$9');
    expect(sanitize('9lives')).to.equal('_9lives');
    expect(sanitize('$x')).to.equal('_$x');
    expect(sanitize('')).to.equal('_');
    expect(sanitize('x9')).to.equal('x9');
    expect(sanitize('Z')).to.equal('Z');
  });

  it('Namer: keywords and taken names get _1, _2 in request order; reserved names are taken', () => {
    const n = new Namer();
    n.reserve('clk');
    expect(n.claim('clk')).to.equal('clk_1');
    expect(n.claim('x')).to.equal('x');
    expect(n.claim('x')).to.equal('x_1');
    expect(n.claim('x')).to.equal('x_2');
    expect(n.claim('wire')).to.equal('wire_1');
    expect(n.claim('x_1')).to.equal('x_1_1');
    expect(n.claim('a b')).to.equal('a_b');
    expect([...n.names]).to.deep.equal([
      'clk',
      'clk_1',
      'x',
      'x_1',
      'x_2',
      'wire_1',
      'x_1_1',
      'a_b',
    ]);
  });

  it('Namer: names to avoid are skipped from _1 on and do not move the per-base counter', () => {
    const n = new Namer();
    expect(n.claim('u', new Set(['u', 'u_1']))).to.equal('u_2');
    expect(n.claim('u')).to.equal('u');
    expect(n.claim('u')).to.equal('u_1');
    expect(n.claim('v', new Set(['w']))).to.equal('v');
    expect(n.claim('v', new Set(['v_1']))).to.equal('v_2');
    expect(n.claim('v')).to.equal('v_1');
    expect(n.claim('v')).to.equal('v_3');
  });

  it('literals, ranges and declarations', () => {
    expect(literal(1, 1n)).to.equal("1'b1");
    expect(literal(1, 2n)).to.equal("1'b0");
    expect(literal(8, 15n)).to.equal("8'h0f");
    expect(literal(9, 5n)).to.equal("9'h005");
    expect(literal(24, 0n)).to.equal("24'h000000");
    expect(bitsFor(8)).to.equal(4);
    expect(bitsFor(7)).to.equal(3);
    expect(bitsFor(1)).to.equal(1);
    expect(range(1)).to.equal('');
    expect(range(8)).to.equal('[7:0]');
    expect(logicDecl(1, 'a', 0)).to.equal('logic a');
    expect(logicDecl(1, 'a', 5)).to.equal('logic       a');
    expect(logicDecl(8, 'b', 6)).to.equal('logic [7:0]  b');
  });

  it('comments and waivers', () => {
    expect(withComment('x;', undefined)).to.equal('x;');
    expect(withComment('x;', '')).to.equal('x;');
    expect(withComment('x;', 'why')).to.equal('x;  // why');
    expect(joinComments(null, undefined, '')).to.equal(undefined);
    expect(joinComments('a', null, 'b')).to.equal('a; b');
    expect(waived('  ', 'logic a;', null)).to.deep.equal(['  logic a;']);
    expect(waived('  ', 'logic a;', 'not used')).to.deep.equal([
      '  /* verilator lint_off UNUSEDSIGNAL */',
      '  logic a;',
      '  /* verilator lint_on UNUSEDSIGNAL */',
    ]);
    const two = [...waived('  ', 'logic a;', 'r'), ...waived('  ', 'logic b;', 'r'), '  logic c;'];
    expect(mergeWaivers(two)).to.deep.equal([
      '  /* verilator lint_off UNUSEDSIGNAL */',
      '  logic a;',
      '  logic b;',
      '  /* verilator lint_on UNUSEDSIGNAL */',
      '  logic c;',
    ]);
    // a lint_off not right after a lint_on stays
    expect(mergeWaivers(['/* verilator lint_off UNUSEDSIGNAL */', 'x'])).to.have.length(2);
  });

  it('aligned assigns: = in one column, continuation lines under the expression, comments last', () => {
    expect(
      alignedAssigns('  ', 'assign ', '=', [
        { lhs: 'a', rhs: ['b;c'] },
        { lhs: 'long', rhs: ['(s) ? w0 :', "8'h00"], comment: 'read' },
      ]),
    ).to.deep.equal([
      '  assign a    = b;c;',
      '  assign long = (s) ? w0 :',
      "                8'h00;  // read",
    ]);
    expect(alignedAssigns('', '', '<=', [])).to.deep.equal([]);
  });

  it('wrapConcat: long {a, b, ...} split at top-level commas into lines of at most max', () => {
    expect(wrapConcat('{a, b}', 3)).to.deep.equal(['{a,', ' b}']);
    expect(wrapConcat('{a, b}', 6)).to.deep.equal(['{a, b}']);
    // a concatenation that fits comes back as it is, even when not spaced as the writer spaces
    expect(wrapConcat('{a,b}', 5)).to.deep.equal(['{a,b}']);
    expect(wrapConcat('{a,b}', 9)).to.deep.equal(['{a,b}']);
    expect(wrapConcat('(a, b)', 3)).to.deep.equal(['(a, b)']);
    expect(wrapConcat('{a, b} + c', 3)).to.deep.equal(['{a, b} + c']);
    // a first part longer than max stays on the opening line
    expect(wrapConcat('{aaaaaaaa, b}', 5)).to.deep.equal(['{aaaaaaaa,', ' b}']);
    expect(wrapConcat('{aaaa, {b, c}, x[3:0], f(d, e), gg}', 16)).to.deep.equal([
      '{aaaa, {b, c},',
      ' x[3:0],',
      ' f(d, e), gg}',
    ]);
  });

  it('cells that change nothing print their operand; sign extension of one bit is a replication', () => {
    const a: Operand = { text: 'a', atomic: true, width: 8 };
    const b: Operand = { text: 'b', atomic: true, width: 1 };
    const e: Operand = { text: 'x + y', atomic: false, width: 8 };
    const t = (
      op: Parameters<typeof renderCell>[0]['op'],
      w: number,
      args: Operand[],
      extra = {},
    ) => renderCell({ op, args: args.map((_, i) => i), ...extra }, w, args).text;
    expect(t('zext', 8, [a])).to.equal('a');
    expect(t('zext', 12, [a])).to.equal("{4'h0, a}");
    expect(t('sext', 8, [a])).to.equal('a');
    expect(t('sext', 9, [a])).to.equal('{a[7], a}');
    expect(t('sext', 11, [a])).to.equal('{{3{a[7]}}, a}');
    expect(t('sext', 4, [b])).to.equal('{4{b}}');
    expect(t('slice', 8, [a], { lo: 0 })).to.equal('a');
    expect(t('slice', 8, [e], { lo: 0 })).to.equal('x + y');
    expect(t('slice', 4, [a], { lo: 0 })).to.equal('a[3:0]');
    expect(t('slice', 1, [a], { lo: 7 })).to.equal('a[7]');
    expect(() => t('slice', 4, [e], { lo: 0 })).to.throw(
      'part-select of an unnamed expression x + y',
    );
    expect(t('shl', 8, [a], { amount: 0 })).to.equal('a');
    expect(t('shrU', 8, [a], { amount: 0 })).to.equal('a');
    expect(t('shrS', 8, [a], { amount: 0 })).to.equal('a');
    expect(t('shl', 8, [a], { amount: 3 })).to.equal('a << 3');
    expect(t('shrS', 8, [a], { amount: 9 })).to.equal('$signed(a) >>> 7');
  });
});
