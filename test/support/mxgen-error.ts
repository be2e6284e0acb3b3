// Test helpers: the MxgenError a call throws (or a promise rejects with); anything else fails.
import { MxgenError } from '../../src/hdl/index.js';

export function thrown(f: () => unknown): MxgenError {
  try {
    f();
  } catch (e) {
    if (e instanceof MxgenError) return e;
    throw e;
  }
  throw new Error('expected an MxgenError');
}

export async function rejected(p: Promise<unknown>): Promise<MxgenError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MxgenError) return e;
    throw e;
  }
  throw new Error('expected an MxgenError');
}
