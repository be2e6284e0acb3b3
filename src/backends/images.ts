// SRAM init images on disk: the `$readmemh` files an emitted design reads at time 0 (relative to
// the simulator's working directory). The SV names the file only, so one build serves any data.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMemHex, type MemImage, type MemImages, MxgenError } from '../hdl/index.js';

/** Writes every image as `<dir>/<name>` in the `$readmemh` format (formatMemHex). */
export function writeImages(dir: string, images: MemImages | undefined): void {
  if (!images) return;
  for (const [name, img] of [...images].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.'))
      throw new MxgenError('usage', `image name ${JSON.stringify(name)} is not a plain file name`);
    writeFileSync(join(dir, name), formatMemHex(img));
  }
}

const same = (a: MemImage, b: MemImage): boolean =>
  a === b ||
  (a.width === b.width &&
    a.words.length === b.words.length &&
    a.words.every((w, i) => w === b.words[i]));

/**
 * The union of several designs' images (they run in one directory); one file name with two
 * different contents is an error naming the file.
 */
export function mergeImages(all: readonly (MemImages | undefined)[]): Map<string, MemImage> {
  const out = new Map<string, MemImage>();
  for (const images of all)
    for (const [name, img] of images ?? []) {
      const prev = out.get(name);
      if (prev && !same(prev, img))
        throw new MxgenError(
          'usage',
          `two designs of one run have different images named ${name}`,
          { hint: 'give each distinct image its own init file name' },
        );
      out.set(name, img);
    }
  return out;
}
