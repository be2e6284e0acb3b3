// Stream fields pack element i at bits [w*i + w - 1 : w*i] (docs/streams.md): the one
// implementation is src/components/arith/codes.ts, re-exported for the IR's callers.
export { packCodes, unpackCodes } from '../components/index.js';
