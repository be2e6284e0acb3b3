// piscina worker entry: evaluates sweep points. In the compiled tree (dist/, bin/compiled.js)
// sweep-point.js sits next to this file; in src/ the TypeScript sources load through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('./sweep-point.js', import.meta.url);
let mod;
if (existsSync(compiled)) {
  mod = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import('./sweep-point.ts');
}

export default mod.evaluatePoint;
