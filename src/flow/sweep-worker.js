// piscina worker entry: loads the TypeScript sources through tsx, then evaluates sweep points.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./sweep-point.ts');

export default mod.evaluatePoint;
