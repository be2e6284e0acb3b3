// Every surviving mutant explained (issue 17, docs/mutation.md "Every survivor explained"):
// the explanations live in docs/mutants/<source path>.yaml (or <source path>.<part>.yaml), as a
// list of entries
//
//   - line: "if (w <= 32) return narrow(x);"   # the source line, trimmed, exactly as in the file
//     occurrence: 2                              # optional: the 2nd line of the file with that text
//     column: 17                                 # optional: only the mutants at that column (as printed)
//     end: 42                                    # optional: only the mutants ending at that column
//     mutants: [ConditionalExpression, "EqualityOperator: w < 32"]   # or ["*"]: every mutant of the line
//     verdict: equivalent      # equivalent | performance | killed | open
//     reason: why no test can tell the mutant from the original (or what test would)
//     test: test/unit/sim/foo.test.ts              # killed only: the spec that kills it now
//
// A mutant is matched by its file, the trimmed text of its first line, its mutator name and its
// replacement (whitespace collapsed), and by column where one is given (the report's 1-based
// column: the same mutator and replacement can occur twice on a line, one killed, one
// equivalent), and by end column where one is given (`a && b` → true and `a` → true start at the
// same column). The first matching entry wins. `equivalent`: no input changes any value, error or message;
// `performance`: only time or memory change (a simulator optimization's guard); `killed`: a test
// added after the run kills it; `open`: a test could kill it and none does yet (not explained).
//
// `node scripts/survivors.mjs [path-substring]` lists the survivors of the reports under
// reports/mutation (MXGEN_MUTATE_REPORTS) that no entry explains, and the entries no longer
// matching a line of their source file.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

export const VERDICTS = ['equivalent', 'performance', 'killed', 'open'];
export const EXPLAINED = new Set(['equivalent', 'performance', 'killed']);
const DIR = 'docs/mutants';

const collapse = (s) => s.replace(/\s+/g, ' ').trim();

/** Every `*.yaml` under `dir`, recursively, sorted. */
function yamlFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (name.endsWith('.yaml')) out.push(p);
  }
  return out;
}

/**
 * Loads and checks every explanation file under `root/docs/mutants`. Returns `{ entries, problems }`:
 * entries carry `file` (the source path), their fields and `where` (yaml file and index);
 * problems are one-line messages (bad field, unknown verdict, missing test file, a source file
 * that does not exist).
 */
export function loadExplanations(root = '.') {
  const entries = [];
  const problems = [];
  for (const path of yamlFiles(join(root, DIR))) {
    const rel = relative(join(root, DIR), path).split('\\').join('/');
    // `<source>.yaml`, or `<source>.<part>.yaml` when several people explain one file's mutants.
    const file = rel.replace(/(\.(?:ts|mts|js|mjs))(?:\.[\w-]+)?\.yaml$/, '$1');
    if (!existsSync(join(root, file))) problems.push(`${path}: no source file ${file}`);
    let list;
    try {
      list = parse(readFileSync(path, 'utf8')) ?? [];
    } catch (e) {
      problems.push(`${path}: ${String(e.message).split('\n')[0]}`);
      continue;
    }
    if (!Array.isArray(list)) {
      problems.push(`${path}: expected a list of entries`);
      continue;
    }
    list.forEach((e, i) => {
      const where = `${path} entry ${i + 1}`;
      const bad = (m) => problems.push(`${where}: ${m}`);
      if (e === null || typeof e !== 'object') return bad('not a mapping');
      const known = new Set([
        'line',
        'occurrence',
        'column',
        'end',
        'mutants',
        'verdict',
        'reason',
        'test',
      ]);
      for (const k of Object.keys(e)) if (!known.has(k)) bad(`unknown field '${k}'`);
      if (typeof e.line !== 'string' || e.line.trim() === '')
        return bad("'line' must be the source line's text");
      if (e.occurrence !== undefined && !(Number.isInteger(e.occurrence) && e.occurrence >= 1))
        bad("'occurrence' must be a positive integer");
      if (e.column !== undefined && !(Number.isInteger(e.column) && e.column >= 1))
        bad("'column' must be a positive integer");
      if (e.end !== undefined && !(Number.isInteger(e.end) && e.end >= 1))
        bad("'end' must be a positive integer");
      if (
        !Array.isArray(e.mutants) ||
        e.mutants.length === 0 ||
        !e.mutants.every((m) => typeof m === 'string')
      )
        return bad(
          "'mutants' must be a non-empty list of 'Mutator', 'Mutator: replacement' or '*'",
        );
      if (!VERDICTS.includes(e.verdict))
        return bad(`'verdict' must be one of ${VERDICTS.join(', ')}`);
      if (typeof e.reason !== 'string' || e.reason.trim().length < 10) bad("'reason' must say why");
      if (e.verdict === 'killed') {
        if (typeof e.test !== 'string') bad("a 'killed' entry names its 'test'");
        else if (!existsSync(join(root, e.test))) bad(`test ${e.test} does not exist`);
      }
      entries.push({ ...e, file, where, line: e.line.trim() });
    });
  }
  return { entries, problems };
}

/** Entries whose line (and occurrence) is not in the current source file: explanations that rotted. */
export function staleEntries(entries, root = '.') {
  const cache = new Map();
  const linesOf = (file) => {
    if (!cache.has(file)) {
      const p = join(root, file);
      cache.set(
        file,
        existsSync(p)
          ? readFileSync(p, 'utf8')
              .split('\n')
              .map((l) => l.trim())
          : [],
      );
    }
    return cache.get(file);
  };
  return entries.filter(
    (e) => linesOf(e.file).filter((l) => l === e.line).length < (e.occurrence ?? 1),
  );
}

const mutantMatches = (pattern, m) => {
  if (pattern === '*') return true;
  const i = pattern.indexOf(':');
  if (i < 0) return pattern.trim() === m.mutatorName;
  return (
    pattern.slice(0, i).trim() === m.mutatorName &&
    collapse(pattern.slice(i + 1)) === collapse(m.replacement ?? '')
  );
};

/**
 * The entry explaining one mutant of `file` whose source is `lines` (the report's copy), or
 * undefined. `occurrence` counts the lines with the same trimmed text up to the mutant's line.
 */
export function explain(entries, file, lines, m) {
  const n = m.location.start.line;
  const text = (lines[n - 1] ?? '').trim();
  let occurrence = 0;
  for (let k = 0; k < n; k++) if ((lines[k] ?? '').trim() === text) occurrence++;
  return entries.find(
    (e) =>
      e.file === file &&
      e.line === text &&
      (e.occurrence === undefined || e.occurrence === occurrence) &&
      (e.column === undefined || e.column === m.location.start.column) &&
      (e.end === undefined || e.end === m.location.end.column) &&
      e.mutants.some((p) => mutantMatches(p, m)),
  );
}

/** Every surviving or uncovered mutant of the JSON reports in `reportDir`, with its explanation. */
export function survivorsOf(reportDir, entries) {
  const out = [];
  if (!existsSync(reportDir)) return out;
  for (const name of readdirSync(reportDir).sort()) {
    if (!name.endsWith('.json')) continue;
    const report = JSON.parse(readFileSync(join(reportDir, name), 'utf8'));
    for (const [file, { mutants, source }] of Object.entries(report.files ?? {})) {
      const lines = source.split('\n');
      for (const m of mutants) {
        if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
        const l = m.location.start.line;
        out.push({
          file,
          line: l,
          column: m.location.start.column,
          status: m.status,
          mutator: m.mutatorName,
          replacement: collapse(m.replacement ?? ''),
          text: (lines[l - 1] ?? '').trim(),
          entry: explain(entries, file, lines, m),
        });
      }
    }
  }
  return out;
}

/** One line per survivor, as in reports/mutation/survivors.txt. */
export const survivorLine = (s) =>
  `${s.file}:${s.line}:${s.column} ${s.status} ${s.mutator}: ${s.replacement.slice(0, 100)}   <- ${s.text.slice(0, 100)}` +
  (s.entry ? `   [${s.entry.verdict}]` : '');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const filter = process.argv[2] ?? '';
  const { entries, problems } = loadExplanations('.');
  const all = survivorsOf(process.env.MXGEN_MUTATE_REPORTS ?? 'reports/mutation', entries).filter(
    (s) => s.file.includes(filter),
  );
  const stale = staleEntries(entries).filter((e) => e.file.includes(filter));
  const count = (v) => all.filter((s) => s.entry?.verdict === v).length;
  const unexplained = all.filter((s) => !s.entry || !EXPLAINED.has(s.entry.verdict));
  for (const s of unexplained) console.log(survivorLine(s));
  for (const p of problems) console.log(`problem: ${p}`);
  for (const e of stale) console.log(`stale: ${e.where}: line not in ${e.file}: ${e.line}`);
  console.log(
    `${all.length} survivors${filter ? ` in files matching '${filter}'` : ''}: ` +
      VERDICTS.map((v) => `${count(v)} ${v}`).join(', ') +
      `, ${all.filter((s) => !s.entry).length} without an entry; ${unexplained.length} not explained; ` +
      `${problems.length} problems, ${stale.length} stale entries`,
  );
  process.exitCode = problems.length + stale.length > 0 ? 1 : 0;
}
