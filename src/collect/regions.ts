import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { AwsFailure, InputError } from '../errors.js';
import type { SkippedRegion } from '../model/inventory.js';
import { redact } from '../redact.js';
import { partitionOf } from '../answers/arn.js';

export interface RegionPlan {
  /** Regions to scan, sorted. */
  regions: string[];
  /** Regions left out, and why, sorted. */
  skipped: SkippedRegion[];
  /** Caveats for the inventory's notes (e.g. the regions could not be listed). */
  notes: string[];
}

const ENABLED = new Set(['opt-in-not-required', 'opted-in']);

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Which regions to scan: one DescribeRegions call (AllRegions) lists every
 * region and whether the account has it enabled; `requested` (--regions)
 * narrows the enabled ones. Asking for a region AWS does not know, or one not
 * enabled, is bad input. When the list cannot be read, the requested regions
 * are used as given; with none requested there is nothing sound to scan.
 * Regions of another partition (China, GovCloud) are not this account's and
 * are left out without a word.
 */
export async function discoverRegions(ec2: EC2Client, requested?: string[], partition = 'aws'): Promise<RegionPlan> {
  const wanted = requested && requested.length > 0 ? [...new Set(requested)].sort(byName) : undefined;
  let all: { name: string; status: string }[];
  try {
    const out = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    all = (out.Regions ?? []).flatMap((r) =>
      r.RegionName && partitionOf(r.RegionName) === partition ? [{ name: r.RegionName, status: r.OptInStatus ?? 'opt-in-not-required' }] : [],
    );
  } catch (err) {
    const e = err as Error;
    const why = `${e.name}: ${redact(e.message)}`;
    if (!wanted) throw new AwsFailure(`cannot list the account's regions (ec2:DescribeRegions): ${why}; name the regions to scan with --regions`);
    return {
      regions: wanted,
      skipped: [],
      notes: [`The account's regions could not be listed (ec2:DescribeRegions: ${why}); scanned the regions given with --regions as they are, without checking that they are enabled.`],
    };
  }

  const enabled = all.filter((r) => ENABLED.has(r.status)).map((r) => r.name);
  const skipped: SkippedRegion[] = all.filter((r) => !ENABLED.has(r.status)).map((r) => ({ region: r.name, reason: 'not-opted-in' }));
  if (!wanted) return { regions: enabled.sort(byName), skipped: skipped.sort((a, b) => byName(a.region, b.region)), notes: [] };

  const known = new Set(all.map((r) => r.name));
  const unknown = wanted.filter((r) => !known.has(r));
  const disabled = wanted.filter((r) => known.has(r) && !enabled.includes(r));
  const quoted = (list: string[]) => list.map((r) => `'${r}'`).join(', ');
  const problems = [
    ...(unknown.length ? [`unknown region${unknown.length > 1 ? 's' : ''} ${quoted(unknown)}`] : []),
    ...(disabled.length ? [`not enabled in this account (not opted in): ${quoted(disabled)}`] : []),
  ];
  if (problems.length > 0) {
    problems.push(`the regions enabled in this account are: ${[...enabled].sort(byName).join(', ')}`);
    throw new InputError(problems.map((message) => ({ file: '--regions', message })));
  }

  for (const r of enabled) if (!wanted.includes(r)) skipped.push({ region: r, reason: 'not-selected' });
  return { regions: wanted, skipped: skipped.sort((a, b) => byName(a.region, b.region)), notes: [] };
}
