import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { suggest } from './ajv-messages.js';

/** Where @aws-sdk/core keeps the partitions data its endpoint resolution uses (not an export of the package). */
const PARTITIONS = 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js';

interface PartitionsInfo {
  partitions: { id: string; regionRegex: string; regions: Record<string, unknown> }[];
}

let known: ReadonlySet<string> | undefined;

/**
 * Every region of every AWS partition (aws, aws-cn, aws-us-gov, ...), as the
 * SDK this rollcall pins knows them: the regions.js data its endpoint rules
 * use, less the pseudo-regions (`aws-global`) that name no place.
 */
export function awsRegions(): ReadonlySet<string> {
  if (known) return known;
  const sdk = dirname(createRequire(import.meta.url).resolve('@aws-sdk/core/package.json'));
  const text = readFileSync(join(sdk, PARTITIONS), 'utf8');
  const info = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as PartitionsInfo;
  const regions = new Set<string>();
  for (const p of info.partitions) {
    const shape = new RegExp(p.regionRegex);
    for (const name of Object.keys(p.regions)) if (shape.test(name)) regions.add(name);
  }
  if (!regions.has('us-east-1')) throw new Error(`no AWS regions found in ${join(sdk, PARTITIONS)}`);
  known = regions;
  return known;
}

/** Why a region name is not an AWS region (with the closest one), or undefined when it is one. */
export function unknownRegion(name: string): string | undefined {
  const regions = awsRegions();
  if (regions.has(name)) return undefined;
  const guess = suggest(name, [...regions]);
  return `'${name}' is not an AWS region${guess ? `, did you mean '${guess}'?` : ` (known: ${[...regions].sort().join(', ')})`}`;
}
