// Emits every catalogue design (a helper shared by the catalogue tests; also run as a script by
// the determinism test, printing `{ name: sha256 of all files }` as JSON from a fresh process).
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { emitSv, type SvOutput } from '../../../src/emit/sv/index.js';
import { elaborate } from '../../../src/hdl/index.js';
import { CATALOGUE } from '../../designs/index.js';

export function emitCatalogue(): { name: string; sv: SvOutput }[] {
  return CATALOGUE.map((d) => ({ name: d.name, sv: emitSv(elaborate(d.build())) }));
}

export function digestOf(sv: SvOutput): string {
  const h = createHash('sha256');
  for (const f of sv.files) h.update(`${f.name}\n${f.text}\n`);
  return h.digest('hex');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out: Record<string, string> = {};
  for (const d of emitCatalogue()) out[d.name] = digestOf(d.sv);
  process.stdout.write(JSON.stringify(out));
}
