/**
 * AWS Config's resources joined to what the collectors found: one record per
 * resource, never two. Pure, run after collect/join.ts.
 *
 * - A Config resource of a type a collector lists (an EC2 instance, a Lambda
 *   function, an IAM user, role, group or policy, a trail, a spot fleet:
 *   answers/config.ts COLLECTED_AS) is dropped when that collector answered
 *   for its region: the collector's record is the richer one, and where it
 *   does not list the resource, the resource is gone (Config lags). It stays,
 *   with `props.collectedAs`, when that collector has a gap there: then it is
 *   all the inventory knows of it.
 * - A Config resource whose ARN the Tagging API also lists replaces that
 *   `tagged.resource` (Config's record names its type, name and times), and
 *   takes the Tagging API's tags, which are current where Config's may lag;
 *   it is then judged for its region as the Tagging API's entry was
 *   (config-resource-region-not-allowed reads `props.tagged`). Only where
 *   Config has no gap in that region: where it has one (a type it does not
 *   record, a stopped recorder), rules on config.resource are unknown there,
 *   so the Tagging API's entry stays, and is judged as it is without Config
 *   (a definite failure must not turn unknown), and Config's copy goes.
 */
import { COLLECTED_AS } from '../answers/config.js';
import type { Gap } from '../model/inventory.js';
import type { Resource, ResourceType } from '../model/resource.js';

/** How `ran` names a type a collector listed in a region (IAM's: in `global`). */
export const ranKey = (type: ResourceType, region: string): string => `${type}|${region}`;

/** `ran`: the (type, region) pairs whose collector actually ran (ranKey), whether or not it then had a gap. */
export function joinConfig(resources: Resource[], gaps: readonly Gap[], ran: ReadonlySet<string>): Resource[] {
  if (!resources.some((r) => r.type === 'config.resource')) return resources;
  const hasGap = new Set(gaps.map((g) => `${g.type}|${g.region}`));
  const noGap = (type: ResourceType, region: string) => !hasGap.has(`${type}|${region}`) && !hasGap.has(`${type}|global`);
  const answered = (type: ResourceType, region: string) => ran.has(ranKey(type, region)) && noGap(type, region);
  const taggedByArn = new Map<string, Resource>();
  for (const r of resources) if (r.type === 'tagged.resource' && r.arn) taggedByArn.set(r.arn, r);

  const replaced = new Set<Resource>();
  const joined: Resource[] = [];
  for (const r of resources) {
    if (r.type !== 'config.resource') continue;
    const covered = COLLECTED_AS[String(r.props.configType)];
    if (covered && answered(covered.type, r.region)) continue;
    const tagged = r.arn ? taggedByArn.get(r.arn) : undefined;
    if (tagged && !noGap('config.resource', r.region)) continue;
    if (tagged) replaced.add(tagged);
    joined.push(tagged ? { ...r, tags: { ...tagged.tags }, props: { ...r.props, tagged: true } } : r);
  }
  const kept = resources.filter((r) => r.type !== 'config.resource' && !replaced.has(r));
  return [...kept, ...joined];
}
