/**
 * Each key id found, looked up in the inventory: whose it is, whether it is
 * active, when it was last used. Pure.
 */
import type { Inventory } from '../model/inventory.js';
import type { FoundKey } from './findings.js';

/**
 * active / inactive: an access key of this account; not-in-account: a
 * long-term key id this account does not have (another account's, or deleted);
 * temporary: an STS key id (ASIA), which IAM does not list and which expires
 * on its own; unknown: the inventory has a gap for access keys.
 */
export type KeyStatus = 'active' | 'inactive' | 'not-in-account' | 'temporary' | 'unknown';

export interface ScannedKey extends FoundKey {
  status: KeyStatus;
  user?: string;
  createDate?: string;
  lastUsedDate?: string;
}

export function lookUpKeys(found: readonly FoundKey[], inventory: Inventory): ScannedKey[] {
  const keys = new Map(inventory.resources.filter((r) => r.type === 'iam.accessKey').map((r) => [r.id, r]));
  const gap = inventory.gaps.some((g) => g.type === 'iam.accessKey');
  return found.map((f): ScannedKey => {
    if (f.kind === 'temporary') return { ...f, status: 'temporary' };
    const r = keys.get(f.keyId);
    if (!r) return { ...f, status: gap ? 'unknown' : 'not-in-account' };
    const p = r.props as { user?: unknown; status?: unknown; createDate?: unknown; lastUsedDate?: unknown };
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const user = text(p.user);
    const createDate = text(p.createDate);
    const lastUsedDate = text(p.lastUsedDate);
    return {
      ...f,
      status: p.status === 'Active' ? 'active' : 'inactive',
      ...(user ? { user } : {}),
      ...(createDate ? { createDate } : {}),
      ...(lastUsedDate ? { lastUsedDate } : {}),
    };
  });
}

/** The key ids that belong to the account (active or not): those `incident.exposedKeys` should list. */
export const accountKeyIds = (keys: readonly ScannedKey[]): string[] => keys.filter((k) => k.status === 'active' || k.status === 'inactive').map((k) => k.keyId);
