/**
 * Whether an inventory holds what AWS Config said, and the gap a baseline that
 * declares Config's resources gets when it does not: plain functions over an
 * inventory, in a module that loads no AWS client (an audit of a saved
 * inventory asks them without collecting anything).
 */
import type { Baseline } from '../model/baseline.js';
import type { Gap, Inventory } from '../model/inventory.js';

/** How an inventory says Config was read through an aggregator (configRead looks for it). */
export const AGGREGATOR_NOTE = 'AWS Config was read through the aggregator';

/**
 * Whether an inventory holds what AWS Config said (a saved one too): its
 * collection asked Config, or was handed an aggregator's answer (its note, or
 * what that answer held).
 */
export const configRead = (inventory: Inventory): boolean =>
  Object.keys(inventory.apiCalls).some((k) => k.startsWith('config:')) ||
  inventory.notes.some((n) => n.startsWith(AGGREGATOR_NOTE)) ||
  inventory.resources.some((r) => r.type === 'config.resource' || r.type === 'config.resourceType') ||
  inventory.gaps.some((g) => g.type === 'config.resource');

/**
 * A baseline that declares config.resource, judged on an inventory built
 * without AWS Config: a gap in `global`, so every rule on Config's resources is
 * unknown, with the reason (never a declared resource reported missing,
 * never a pass).
 */
export function withConfigUnread(inventory: Inventory, baseline: Baseline): Inventory {
  if ((baseline.resources?.['config.resource'] ?? []).length === 0 || configRead(inventory)) return inventory;
  const gap: Gap = {
    type: 'config.resource',
    region: 'global',
    operation: 'config:SelectResourceConfig',
    code: 'ConfigNotRead',
    message: 'the baseline declares config.resource, but AWS Config was not read: collect with --config or --config-aggregator NAME',
  };
  return { ...inventory, gaps: [...inventory.gaps, gap] };
}
