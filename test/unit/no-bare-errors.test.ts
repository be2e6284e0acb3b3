// Every error mxgen throws is an MxgenError (kind, location where one exists, hint), or a
// NumericsError inside src/numerics, which depends on nothing of ours. A bare `Error` would reach
// the user as a stack trace without a kind or a hint, so none is left in src/ outside the two
// error modules themselves.
import { expect } from 'chai';
import { internalError, MxgenError, BUG_HINT } from '../../src/hdl/index.js';
import { sourceTexts } from '../support/source-files.js';

const ERROR_MODULES = new Set(['src/hdl/errors.ts', 'src/numerics/errors.ts']);

/** `file:line: text` of every bare Error thrown (`throw new Error(`, `throw Error(`). */
export function bareThrows(files: ReadonlyMap<string, string>): string[] {
  const hits: string[] = [];
  for (const [file, text] of files) {
    if (ERROR_MODULES.has(file)) continue;
    text.split('\n').forEach((line, i) => {
      if (/\bthrow\s+(new\s+)?Error\s*\(/.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

describe('errors: no bare Error in src/', () => {
  it('src/ throws no bare Error outside src/hdl/errors.ts and src/numerics/errors.ts', () => {
    const files = sourceTexts('src');
    expect(files.size).to.be.greaterThan(100);
    expect(bareThrows(files)).to.deep.equal([]);
  });
  it('the scan finds both forms and spares the error modules', () => {
    const files = new Map([
      [
        'src/ir/x.ts',
        "if (!a) throw new Error('a');\nthrow Error(`b`);\nthrow new MxgenError('io', 'c');",
      ],
      ['src/hdl/errors.ts', "throw new Error('allowed here');"],
    ]);
    expect(bareThrows(files)).to.deep.equal([
      "src/ir/x.ts:1: if (!a) throw new Error('a');",
      'src/ir/x.ts:2: throw Error(`b`);',
    ]);
  });
  it("internalError is kind 'internal' with the report-a-bug hint", () => {
    const e = internalError('net 3 missing');
    expect(e).to.be.instanceOf(MxgenError);
    expect(e.format()).to.equal(`error[internal]: net 3 missing\n  hint: ${BUG_HINT}`);
  });
});
