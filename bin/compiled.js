// The precompiled JavaScript of src/ (docs/decisions.md, "compiled CLI"): `dist/` holds the CLI
// bundled by esbuild (the transformer tsx runs the sources through, with tsx's options: ESM,
// keepNames), split into chunks at dynamic imports, with `import.meta.url` of every module
// rewritten to that module's source URL (templates, package.json, worker files resolve as from
// src/), and an external source map per chunk (read only when a source location is printed:
// src/hdl/srcloc.ts). Built by `node bin/compiled.js --build` (scripts/setup.sh).
// `dist/.stamp.json` records every source file's size, mtime and SHA-1; bin/mxgen.js runs dist
// only when `compiledEntry` finds it current (a file whose size or mtime changed is hashed
// again), else the sources through tsx.
import { createHash } from 'node:crypto';
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = '.stamp.json';
/** Bumped when the output layout or the transform options change (the stamp then is stale). */
const FORMAT = 3;

const sha1 = (buf) => createHash('sha1').update(buf).digest('hex');

/** Every file under `dir` as a path relative to it, sorted. */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/** The builder's own identity: this file and the esbuild version (a change rebuilds). */
function builderId(root, esbuildVersion) {
  return `${FORMAT}:${sha1(readFileSync(join(root, 'bin', 'compiled.js')))}:${esbuildVersion}`;
}

/**
 * The file URL of dist/cli/main.js when dist is current with src (same files, same contents),
 * else undefined. Cheap: one stat per source file; contents are hashed only for a file whose
 * size or mtime differs from the stamp (a checkout that rewrote identical bytes).
 */
export function compiledEntry(root = ROOT) {
  const dist = join(root, 'dist');
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dist, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
  if (stamp.format !== FORMAT) return undefined;
  const src = join(root, 'src');
  const names = listFiles(src);
  const files = stamp.files ?? {};
  if (names.length !== Object.keys(files).length) return undefined;
  for (const rel of names) {
    const want = files[rel];
    if (!want) return undefined;
    const path = join(src, rel);
    const st = statSync(path);
    if (st.size === want.size && st.mtimeMs === want.mtimeMs) continue;
    if (st.size !== want.size || sha1(readFileSync(path)) !== want.sha1) return undefined;
  }
  // The builder itself: an edited bin/compiled.js means the output may differ.
  const self = statSync(join(root, 'bin', 'compiled.js'));
  if (self.size !== stamp.builderSize || self.mtimeMs !== stamp.builderMtimeMs) {
    if (!stamp.builder?.startsWith(`${FORMAT}:`)) return undefined;
    const esv = stamp.builder.split(':')[2];
    if (builderId(root, esv) !== stamp.builder) return undefined;
  }
  return pathToFileURL(join(dist, 'main.js')).href;
}

/** esbuild, the one tsx depends on (not a direct dependency of mxgen). */
function loadEsbuild(root) {
  const req = createRequire(join(root, 'package.json'));
  return createRequire(req.resolve('tsx'))('esbuild');
}

/** Packages left as imports (every dependency but vega and vega-lite). */
const EXTERNAL = [
  '@yowasp/yosys',
  'cli-progress',
  'commander',
  'npyjs',
  'onnx-proto',
  'piscina',
  'ts-morph',
  'tsx',
  'tsx/*',
  'yaml',
  'zod',
];

/**
 * esbuild plugin: `import.meta.url` in a source module becomes that module's own URL, computed
 * from the bundle's (`new URL('../src/a/b.ts', import.meta.url)`: every chunk is in dist/, one
 * level below the root), so templates, package.json, worker files and src/hdl are found as from
 * the sources, wherever the checkout is.
 */
function ownUrl(root) {
  return {
    name: 'mxgen-own-url',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const rel = `../${relative(root, args.path).split(sep).join('/')}`;
        return {
          contents: text.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(rel)}, import.meta.url).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}

/**
 * Bundles src/cli/main.ts into dist/ (ES modules, one chunk per dynamically imported part so
 * that lazy imports stay lazy; npm packages stay imports), written to a temporary folder, then
 * renamed into place, so a run that starts meanwhile sees the old tree or the new one. Returns
 * the count of source files.
 */
export async function buildCompiled(root = ROOT) {
  const esbuild = loadEsbuild(root);
  const src = join(root, 'src');
  const dist = join(root, 'dist');
  const tmp = join(root, `.dist-tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const files = {};
  for (const rel of listFiles(src)) {
    const path = join(src, rel);
    const st = statSync(path);
    files[rel] = { size: st.size, mtimeMs: st.mtimeMs, sha1: sha1(readFileSync(path)) };
  }
  // tsx's transform options (target node, ESM, keepNames: function and class names as in the
  // sources), whitespace kept; an external source map per chunk (src/hdl/srcloc.ts reads it).
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: join(src, 'cli', 'main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    // npm packages stay imports, except Vega and Vega-Lite (with their d3 modules, ~100 files),
    // which become one lazily loaded chunk: half their load time (the report's plots).
    external: EXTERNAL,
    keepNames: true,
    sourcemap: 'external',
    sourcesContent: false,
    outdir: tmp,
    logLevel: 'error',
    plugins: [ownUrl(root)],
  });
  const self = statSync(join(root, 'bin', 'compiled.js'));
  const stamp = {
    format: FORMAT,
    builder: builderId(root, esbuild.version),
    builderSize: self.size,
    builderMtimeMs: self.mtimeMs,
    files,
  };
  writeFileSync(join(tmp, STAMP), `${JSON.stringify(stamp)}\n`);
  const old = join(root, `.dist-old-${process.pid}`);
  try {
    if (existsSync(dist)) renameSync(dist, old);
  } catch {
    // another build moved it away first
  }
  renameSync(tmp, dist);
  rmSync(old, { recursive: true, force: true });
  return Object.keys(files).length;
}

// `node bin/compiled.js --build` (scripts/setup.sh): rebuild when stale; `--check`: exit 1 when stale.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = process.argv[2];
  if (arg === '--check') process.exit(compiledEntry() ? 0 : 1);
  else if (arg === '--build') {
    if (!compiledEntry() || process.argv[3] === '--force') {
      const n = await buildCompiled();
      console.log(`bundled ${n} source files into dist/`);
    }
  } else {
    console.error('usage: node bin/compiled.js --build [--force] | --check');
    process.exit(1);
  }
}
