/**
 * Which Cost Explorer services (its SERVICE dimension, as the Bills page names
 * them) a baseline expects spend on: those its declared resource types are
 * billed under, those it lists itself (`spend.expectedServices`, globs
 * allowed), and those every account with rollcall pays for. Spend on any other
 * service during an incident is flagged as evidence (report/spend.ts).
 */
import type { Baseline, SelectableType } from './baseline.js';

const EC2 = ['Amazon Elastic Compute Cloud - Compute', 'EC2 - Other', 'Amazon Virtual Private Cloud'] as const;

/**
 * What each type a baseline declares under `resources` is billed under (the
 * compiler asks for every selectable type): an instance's compute, its
 * volumes, snapshots and data transfer (`EC2 - Other`) and its public IPv4
 * address (`Amazon Virtual Private Cloud`); a function and the logs it writes
 * (`AmazonCloudWatch`); a trail and the bucket it writes to.
 */
export const SERVICES_OF_TYPE: Record<SelectableType, readonly string[]> = {
  'ec2.instance': EC2,
  'ec2.spotRequest': EC2,
  'ec2.spotFleetRequest': EC2,
  'lambda.function': ['AWS Lambda', 'AmazonCloudWatch'],
  'cloudtrail.trail': ['AWS CloudTrail', 'Amazon Simple Storage Service'],
  // Config's own recording; the services of the types it records are not known from their Config types.
  'config.resource': ['AWS Config'],
};

/** Spend every audited account has: tax, and Cost Explorer's own requests (rollcall's included, $0.01 each). */
export const ALWAYS_EXPECTED_SERVICES: readonly string[] = ['Tax', 'AWS Cost Explorer'];

/**
 * The services a baseline expects spend on, each once, in this order: always
 * expected, from its declared types (a type with at least one selector, or a
 * required multi-region trail), then its own list (which may hold globs).
 */
export function expectedServices(baseline: Baseline): string[] {
  const declared = Object.entries(baseline.resources ?? {}).flatMap(([type, selectors]) =>
    selectors && selectors.length > 0 ? (SERVICES_OF_TYPE[type as SelectableType] ?? []) : [],
  );
  const trail = baseline.cloudtrail?.multiRegionLogging === 'required' ? SERVICES_OF_TYPE['cloudtrail.trail'] : [];
  return [...new Set([...ALWAYS_EXPECTED_SERVICES, ...declared, ...trail, ...(baseline.spend?.expectedServices ?? [])])];
}
