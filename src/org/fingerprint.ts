/**
 * What makes the shards of one org run one run: a fingerprint of what every
 * shard must share (with --org, the organization's id, whichever of its
 * accounts each shard runs as; the regions; the Config source; the rule ids;
 * the --accounts list) and, with --run-id, the CI run's id, so that two runs
 * with the same settings are told apart. `report merge` requires every
 * shard's to be equal. The files each account's reports are checked against
 * their SHA-256, recorded as the run writes them.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { RunStamp } from '../report/org-report.js';

export interface RunIdentity {
  /** --org: the organization's id (DescribeOrganization), so shards that run as different accounts of one organization are one run. */
  organization?: string;
  /** --org when the organization's id cannot be read: the caller's account, as a stand-in (shards must then run as one account). Without --org neither: the --accounts list names what is audited. */
  caller?: string;
  regions?: readonly string[];
  config?: unknown;
  ruleIds: readonly string[];
  accounts?: readonly string[];
  runId?: string;
}

export function runStamp(r: RunIdentity): RunStamp {
  const canonical = JSON.stringify({
    organization: r.organization ?? null,
    caller: r.caller ?? null,
    regions: r.regions ? [...r.regions].sort() : null,
    config: r.config ?? null,
    rules: [...r.ruleIds].sort(),
    accounts: r.accounts ? [...r.accounts].sort() : null,
    runId: r.runId ?? null,
  });
  return { fingerprint: createHash('sha256').update(canonical).digest('hex'), ...(r.runId !== undefined ? { id: r.runId } : {}) };
}

const RUN_ID = /^[\w.:/+=@-]{1,128}$/;

/** `--run-id`: the CI run's id (GitHub's run id and attempt, a pipeline id), shared by every shard of the run. */
export function parseRunId(value: string): string {
  if (!RUN_ID.test(value)) throw InputError.at({ file: '--run-id' }, `must be 1 to 128 letters, digits or _.:/+=@- (got '${value.slice(0, 40)}')`);
  return value;
}

/** The SHA-256 of a file, read a chunk at a time (an account's report may be large). */
export function fileSha256(file: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
