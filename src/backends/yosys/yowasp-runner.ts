// A child-process entry that runs @yowasp/yosys (WebAssembly) like a command-line Yosys:
// `node --import tsx yowasp-runner.ts <workdir> <yosys args...>`. The files of <workdir> form
// Yosys's virtual root; files it writes are copied back. Run through `runTool`, so a yowasp run has
// the same timeout (the process is killed) and error discipline as the system binary.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Exit, runYosys, type Tree } from '@yowasp/yosys';

async function main(): Promise<number> {
  const [workdir, ...args] = process.argv.slice(2);
  if (workdir === undefined) {
    process.stderr.write('usage: yowasp-runner <workdir> <yosys args...>\n');
    return 64;
  }
  const files: Tree = {};
  for (const name of readdirSync(workdir).sort()) {
    const p = join(workdir, name);
    if (statSync(p).isFile()) files[name] = readFileSync(p);
  }
  const write = (stream: NodeJS.WriteStream) => (bytes: Uint8Array | null) => {
    if (bytes) stream.write(bytes);
  };
  let out: Tree;
  let code = 0;
  try {
    const res = await runYosys(args, files, {
      stdout: write(process.stdout),
      stderr: write(process.stderr),
      decodeASCII: false,
    });
    out = res ?? {};
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
    out = e.files;
    code = e.code;
  }
  for (const [name, data] of Object.entries(out)) {
    if (typeof data === 'string') writeFileSync(join(workdir, name), data);
    else if (data instanceof Uint8Array && !(name in files))
      writeFileSync(join(workdir, name), data);
  }
  return code;
}

process.exitCode = await main();
