// The module name of every layer unit: its shape, then a digest of the part of its config that
// decides the hardware (units.ts `unitHardwareConfig`: no values in memory and stream modes).
import { digestName } from '../../hdl/index.js';
import { type LinearUnitConfig, unitHardwareConfig } from '../units.js';

export function linearModuleName(c: Omit<LinearUnitConfig, 'module'>): string {
  return digestName(
    `linear_${c.inFeatures}x${c.outFeatures}_p${c.lanes}t${c.tile}`,
    unitHardwareConfig({ ...c, module: '' }),
  );
}
