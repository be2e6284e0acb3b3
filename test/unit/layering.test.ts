// Layers only point down (docs/architecture): each folder of src/ may import only the layers listed
// here, and only through their index.ts.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');
const ALLOWED: Record<string, readonly string[]> = {
  numerics: [],
  hdl: [],
  emit: ['hdl'],
  sim: ['hdl'],
  backends: ['hdl', 'emit'],
  components: ['hdl', 'numerics'],
  ir: ['components', 'hdl', 'numerics'],
  cli: ['numerics', 'hdl', 'emit', 'sim', 'backends', 'components', 'ir'],
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (file: string): string => relative(SRC, file).split('/')[0] ?? '';

/** The folder whose index.ts is the public surface for an import target. */
function surfaceOf(target: string): string {
  const rel = relative(SRC, target).split('/');
  return rel[0] === 'emit'
    ? join(SRC, 'emit', 'sv', 'index.ts')
    : join(SRC, rel[0] ?? '', 'index.ts');
}

export function layeringViolations(): string[] {
  const problems: string[] = [];
  for (const file of tsFiles(SRC)) {
    const from = layerOf(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
      const spec = m[1] ?? '';
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (to === from) continue;
      const where = `${relative('.', file)} imports '${spec}'`;
      if (!(ALLOWED[from] ?? []).includes(to))
        problems.push(`${where}: ${from} may not import ${to}`);
      else if (target !== surfaceOf(target) && !target.endsWith('/index.ts'))
        problems.push(`${where}: import ${to} through its index.ts`);
    }
  }
  return problems;
}

describe('layering', () => {
  it('src/ folders import only the layers below them, through index.ts', () => {
    expect(layeringViolations()).to.deep.equal([]);
  });
  it('numerics and hdl import nothing else of ours', () => {
    const ours = layeringViolations().filter((p) => /^src\/(numerics|hdl)\//.test(p));
    expect(ours).to.deep.equal([]);
  });
});
