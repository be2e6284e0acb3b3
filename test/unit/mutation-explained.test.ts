// The explanations of surviving mutants (docs/mutants/**/*.yaml, scripts/survivors.mjs) are
// well-formed and still describe lines of the current source: an edit of an explained line
// makes its entry stale here, so the explanation is revisited rather than left to rot. The
// matching rules are checked on a hand-built report. No Stryker run here.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Entry {
  file: string;
  line: string;
  verdict: string;
  where: string;
}
interface Survivor {
  file: string;
  line: number;
  entry?: Entry;
}
interface Lib {
  loadExplanations(root: string): { entries: Entry[]; problems: string[] };
  staleEntries(entries: Entry[], root: string): Entry[];
  survivorsOf(dir: string, entries: Entry[]): Survivor[];
}
const lib = async (): Promise<Lib> =>
  (await import(pathToFileURL('scripts/survivors.mjs').href)) as Lib;

describe('mutation testing: every survivor explained (docs/mutants)', () => {
  it('the explanation files are well-formed and none is stale', async () => {
    const { loadExplanations, staleEntries } = await lib();
    const { entries, problems } = loadExplanations('.');
    expect(problems).to.deep.equal([]);
    expect(entries.length).to.be.greaterThan(0);
    const stale = staleEntries(entries, '.').map((e) => `${e.where}: ${e.line}`);
    expect(stale).to.deep.equal([]);
  });

  it('matches by line text, occurrence, column, end column, mutator and replacement; reports bad entries', async () => {
    const { loadExplanations, staleEntries, survivorsOf } = await lib();
    const root = mkdtempSync(join(tmpdir(), 'mxgen-survivors-'));
    try {
      const src = ['let a = 1;', 'if (a < 2) f();', 'if (a < 2) f();', 'g();'].join('\n');
      mkdirSync(join(root, 'src'), { recursive: true });
      writeFileSync(join(root, 'src/x.ts'), src);
      mkdirSync(join(root, 'docs/mutants/src'), { recursive: true });
      writeFileSync(
        join(root, 'docs/mutants/src/x.ts.yaml'),
        [
          '- line: "if (a < 2) f();"',
          '  occurrence: 2',
          '  column: 5',
          '  mutants: ["EqualityOperator: a <= 2"]',
          '  verdict: equivalent',
          '  reason: a is never 2 on the second line',
          '- line: "g();"',
          '  column: 1',
          '  end: 4',
          '  mutants: ["*"]',
          '  verdict: equivalent',
          '  reason: only the whole call ending at column 4',
          '- line: "let a = 1;"',
          '  mutants: ["*"]',
          '  verdict: open',
          '  reason: a test with a = 0 would kill it',
          '- line: "gone();"',
          '  mutants: [BlockStatement]',
          '  verdict: killed',
          '  reason: killed by a spec that is not there',
          '  test: test/none.test.ts',
        ].join('\n'),
      );
      const { entries, problems } = loadExplanations(root);
      expect(problems).to.deep.equal([
        `${join(root, 'docs/mutants/src/x.ts.yaml')} entry 4: test test/none.test.ts does not exist`,
      ]);
      expect(staleEntries(entries, root).map((e) => e.line)).to.deep.equal(['gone();']);
      const m = (line: number, column: number, mutatorName: string, replacement: string) => ({
        id: `${line}.${column}`,
        mutatorName,
        replacement,
        status: 'Survived',
        location: { start: { line, column }, end: { line, column: column + 1 } },
      });
      const report = {
        files: {
          'src/x.ts': {
            source: src,
            mutants: [
              m(1, 9, 'NumericLiteral', '0'),
              m(2, 5, 'EqualityOperator', 'a <= 2'),
              m(3, 5, 'EqualityOperator', 'a  <=  2'),
              m(3, 5, 'EqualityOperator', 'a >= 2'),
              m(3, 9, 'EqualityOperator', 'a <= 2'),
              { ...m(4, 1, 'BlockStatement', '{}'), status: 'Killed' },
              m(4, 1, 'StringLiteral', 'x'),
              {
                ...m(4, 1, 'StatementDeletion', ''),
                location: { start: { line: 4, column: 1 }, end: { line: 4, column: 4 } },
              },
            ],
          },
        },
      };
      mkdirSync(join(root, 'reports'));
      writeFileSync(join(root, 'reports/r.json'), JSON.stringify(report));
      const s = survivorsOf(join(root, 'reports'), entries);
      expect(s.map((x) => [x.line, x.entry?.verdict ?? null])).to.deep.equal([
        [1, 'open'],
        [2, null],
        [3, 'equivalent'],
        [3, null],
        [3, null],
        [4, null],
        [4, 'equivalent'],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
