// Dataflow design files (YAML): read, parse and validate into an IR graph. Errors are one line
// naming the file, the field path and what was expected (the checks live in src/ir/design.ts).
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { MxgenError } from '../hdl/index.js';
import { designToGraph, type Graph } from '../ir/index.js';
import { joinWeights } from '../ir/index.js';

export function readDesignFile(path: string): Graph {
  return designToGraph(withWeightsFile(readDesignObject(path), path), path);
}

/** A design file's YAML as a plain object (its `weights_file:` not read in). */
export function readDesignObject(path: string): unknown {
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
  return parseDesignYaml(text, path);
}

/** A design object with its `weights_file:` side file (path relative to the design) read in. */
export function withWeightsFile(raw: unknown, path: string): unknown {
  if (raw === null || typeof raw !== 'object' || !('weights_file' in raw)) return raw;
  const file = (raw as { weights_file: unknown }).weights_file;
  if (typeof file !== 'string')
    throw new MxgenError('config', `${path}: weights_file: expected a file name`);
  return joinWeights(raw as Record<string, unknown>, join(dirname(path), file), path);
}

/**
 * YAML text → plain object. Syntax errors are `config` errors at `file:line:col` (the parser's
 * prettyErrors set the position); an alias bomb (more than 100 alias expansions) is refused.
 */
export function parseDesignYaml(text: string, path: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    throw new MxgenError(
      'config',
      `invalid YAML: ${err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
      {
        loc: `${path}${pos ? `:${pos.line}:${pos.col}` : ''}`,
        hint: 'fix the YAML syntax at that position',
      },
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    throw new MxgenError('config', `invalid YAML: ${(e as Error).message.split('\n')[0]}`, {
      loc: path,
      hint: 'expand the aliases (at most 100 alias uses are allowed)',
    });
  }
}

/** The design's base file name without extension (fallback label). */
export function designLabel(path: string): string {
  return basename(path).replace(/\.ya?ml$/, '');
}
