/**
 * Everything a scan found, by key id: where each was (file, line, and the
 * commit for history), and whether a secret-shaped string was near it (only
 * its redacted form). Pure.
 */
import type { KeyKind, LineFinding } from './key-matcher.js';

export interface Location {
  /** Relative to the scanned path (working tree) or the repository's root (history). */
  file: string;
  line: number;
  /** Full commit id, for a line a commit added; absent for the files as they are now. */
  commit?: string;
  committedAt?: string;
}

export interface FoundKey {
  keyId: string;
  kind: KeyKind;
  locations: Location[];
  /** A secret-shaped string near one of its occurrences: redacted (first 4 characters and '…'), and where. */
  secretNearby?: { redacted: string; at: Location };
  /** AWS Health events (AWS_RISK_CREDENTIALS_EXPOSED) that name this key: AWS found it exposed. */
  reportedByAws?: { eventArn: string; startTime?: string }[];
}

export class Findings {
  private readonly byKey = new Map<string, FoundKey>();

  add(f: LineFinding, where: Omit<Location, 'line'>): void {
    const at: Location = { ...where, line: f.line };
    let found = this.byKey.get(f.keyId);
    if (!found) {
      found = { keyId: f.keyId, kind: f.kind, locations: [] };
      this.byKey.set(f.keyId, found);
    }
    found.locations.push(at);
    if (f.secret && !found.secretNearby) found.secretNearby = { redacted: f.secret.redacted, at: { ...where, line: f.secret.line } };
  }

  /** A key AWS Health reports exposed (found in code or not). */
  addReported(keyId: string, event: { eventArn: string; startTime?: string }): void {
    let found = this.byKey.get(keyId);
    if (!found) {
      found = { keyId, kind: keyId.startsWith('ASIA') ? 'temporary' : 'long-term', locations: [] };
      this.byKey.set(keyId, found);
    }
    (found.reportedByAws ??= []).push(event);
  }

  /** By key id; each key's locations as found (files first, then history newest first). */
  keys(): FoundKey[] {
    return [...this.byKey.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : a.keyId > b.keyId ? 1 : 0));
  }
}
