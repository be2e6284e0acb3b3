// Dataflow design files (YAML): read, parse and validate into an IR graph. Errors are one line
// naming the file, the field path and what was expected (the checks live in src/ir/design.ts).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDocument } from 'yaml';
import { MxgenError } from '../hdl/index.js';
import { designToGraph, type Graph } from '../ir/index.js';

export function readDesignFile(path: string): Graph {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MxgenError(
      'io',
      `cannot read design file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        hint: 'pass the path of a design .yaml file, e.g. templates/designs/default.yaml',
      },
    );
  }
  const doc = parseDocument(text, { prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    throw new MxgenError(
      'config',
      `${path}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${err.message.split('\n')[0]}`,
    );
  }
  return designToGraph(doc.toJS(), path);
}

/** The design's base file name without extension (fallback label). */
export function designLabel(path: string): string {
  return basename(path).replace(/\.ya?ml$/, '');
}
