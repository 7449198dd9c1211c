/**
 * The join: what one collector found completes what another found. Pure, run
 * once every collector has answered.
 *
 * - `lambda.function` and `cloudtrail.trail` get their tags from the Tagging
 *   API's entry for their ARN (ListFunctions and DescribeTrails carry none); without one (or when the tagging call failed,
 *   whose gap stands) its tags stay `{}`.
 * - `tagged.resource` keeps only what no specific collector covers: an entry for
 *   an instance, spot request, spot fleet or function is dropped when that
 *   type's collector answered in its region (it either listed the resource, or
 *   the resource is gone and the Tagging API's index is stale). It stays when
 *   that collector has a gap there: then it is all the inventory knows of it.
 * - `ec2.instance` gets `props.roles`: the roles in its instance profile, from
 *   the IAM roles' `instanceProfiles`; `[]` without a profile, `null` when the
 *   IAM roles could not be read.
 */
import type { Gap } from '../model/inventory.js';
import { RESOURCE_TYPE_NAMES, RESOURCE_TYPES, type Resource, type ResourceType } from '../model/resource.js';
import { parseArn } from '../answers/arn.js';

/** The types a specific collector lists, by the `service:resourceType` their ARNs carry (their descriptors' `taggedAs`). */
const COVERED: Record<string, ResourceType> = Object.fromEntries(
  RESOURCE_TYPE_NAMES.flatMap((t) => {
    const d = RESOURCE_TYPES[t];
    return 'taggedAs' in d ? [[d.taggedAs, t]] : [];
  }),
);

const keyOf = (type: ResourceType, region: string, id: string) => `${type}|${region}|${id}`;

/** The covered resource a Tagging API entry stands for, or null when no specific collector lists its kind. */
function coveredKey(tagged: Resource): { key: string; collector: string; everywhere: string } | null {
  const arn = parseArn(tagged.arn ?? tagged.id);
  const type = arn ? COVERED[`${arn.service}:${arn.resourceType}`] : undefined;
  if (!arn || !type) return null;
  const region = arn.region || tagged.region;
  // A gap in `global` (an account-wide list that failed) covers every region.
  return { key: keyOf(type, region, arn.name), collector: `${type}|${region}`, everywhere: `${type}|global` };
}

/** `arn:aws:iam::a:instance-profile/path/name` -> `name` (profile names are unique in an account, whatever the path). */
const profileName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

function rolesByProfile(resources: Resource[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const r of resources) {
    if (r.type !== 'iam.role') continue;
    const profiles = Array.isArray(r.props.instanceProfiles) ? r.props.instanceProfiles : [];
    for (const p of profiles) if (typeof p === 'string') map.set(p, [...(map.get(p) ?? []), r.id]);
  }
  return map;
}

export function joinResources(resources: Resource[], gaps: Gap[]): Resource[] {
  const hasGap = new Set(gaps.map((g) => `${g.type}|${g.region}`));
  const taggedByKey = new Map<string, Resource>();
  for (const r of resources) {
    const covered = r.type === 'tagged.resource' ? coveredKey(r) : null;
    if (covered) taggedByKey.set(covered.key, r);
  }
  const iamRolesKnown = !gaps.some((g) => g.type === 'iam.role');
  const profiles = rolesByProfile(resources);

  return resources.flatMap((r): Resource[] => {
    if (r.type === 'tagged.resource') {
      const covered = coveredKey(r);
      return covered && !hasGap.has(covered.collector) && !hasGap.has(covered.everywhere) ? [] : [r];
    }
    if (r.type === 'lambda.function' || r.type === 'cloudtrail.trail') {
      const tags = taggedByKey.get(keyOf(r.type, r.region, r.id))?.tags;
      return [tags ? { ...r, tags: { ...tags } } : r];
    }
    if (r.type === 'ec2.instance') {
      const profileArn = r.props.instanceProfileArn;
      const roles = typeof profileArn !== 'string' ? [] : iamRolesKnown ? [...(profiles.get(profileName(profileArn)) ?? [])].sort() : null;
      return [{ ...r, props: { ...r.props, roles } }];
    }
    return [r];
  });
}
