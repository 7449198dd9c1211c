/**
 * Whether an audit is in org mode, and the options only org mode takes: a
 * module of its own, light, so that a one-account audit does not load org
 * mode's code (and the AWS SDK with it) to ask.
 */
import { InputError } from '../errors.js';

export interface OrgModeOptions {
  org?: boolean;
  accounts?: string[];
  shard?: string;
  assumeRoleName?: string;
  accountConcurrency?: string;
  outDir?: string;
  failOnGap?: boolean;
  strictDefaults?: boolean;
  runId?: string;
}

/** Options that mean something only in org mode, by their flag. */
export const ORG_ONLY = { shard: '--shard', assumeRoleName: '--assume-role-name', accountConcurrency: '--account-concurrency', outDir: '--out-dir', failOnGap: '--fail-on-gap', strictDefaults: '--strict-defaults', runId: '--run-id' } as const;

/** Org mode is --org or --accounts. */
export function isOrgMode(o: { org?: boolean; accounts?: string[] }): boolean {
  return Boolean(o.org) || o.accounts !== undefined;
}

/** An option of org mode given to a one-account audit: an error, never ignored. */
export function checkNotOrgOptions(o: Partial<Record<keyof typeof ORG_ONLY, unknown>>): void {
  for (const [key, flag] of Object.entries(ORG_ONLY)) {
    if (o[key as keyof typeof ORG_ONLY] !== undefined) throw InputError.at({ file: flag }, 'only means something with --org or --accounts');
  }
}
