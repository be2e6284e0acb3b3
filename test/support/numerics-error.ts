// Test helper: a call throws a NumericsError with exactly this message.
import { expect } from 'chai';
import { NumericsError } from '../../src/numerics/index.js';

export function throwsWith(f: () => unknown, msg: string): void {
  expect(f).to.throw(NumericsError, msg);
  try {
    f();
  } catch (e) {
    expect((e as Error).message).to.equal(msg);
  }
}
