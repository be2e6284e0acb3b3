// The first example of docs/emit.md: its TypeScript block is docs/examples/sat-mac.ts and its SV
// block is what the emitter prints for it, so the doc cannot drift from the code.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import satMac from '../../../docs/examples/sat-mac.js';
import { emitSv } from '../../../src/emit/sv/index.js';
import { elaborate } from '../../../src/hdl/index.js';

function block(doc: string, marker: string): string {
  const at = doc.indexOf(`<!-- ${marker} -->`);
  expect(at, marker).to.be.greaterThan(-1);
  const m = /```\w*\n([\s\S]*?)```/.exec(doc.slice(at));
  return m?.[1] ?? '';
}

describe('docs/emit.md example', () => {
  const doc = readFileSync('docs/emit.md', 'utf8');

  it('shows docs/examples/sat-mac.ts as it is', () => {
    expect(block(doc, 'example-ts')).to.equal(readFileSync('docs/examples/sat-mac.ts', 'utf8'));
  });

  it('shows the SV the emitter prints for it', () => {
    const files = emitSv(elaborate(satMac())).files;
    expect(files).to.have.length(1);
    expect(block(doc, 'example-sv')).to.equal(files[0]?.text);
  });
});
