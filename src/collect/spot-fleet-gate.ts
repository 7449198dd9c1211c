/**
 * Whether spot fleets need listing at all. A Spot Fleet cannot be requested
 * without an IAM role that trusts `spotfleet.amazonaws.com`: the request names
 * one (IamFleetRole), and the service acts through its service-linked role
 * AWSServiceRoleForEC2SpotFleet, which the API requires to exist and which IAM
 * will not delete while fleets use it. When the roles were read and none can
 * be assumed by the service, no fleet can exist in any region, and the
 * DescribeSpotFleetRequests call per region is saved. Doubt opens the gate:
 * roles that could not be read, a trust policy that cannot be parsed, one that
 * trusts everyone or allows with NotPrincipal.
 */
import type { RoleTrust } from './iam-entities.js';
import { statementsOf, trustedPrincipals } from '../answers/policy-document.js';

export type SpotFleetGate = { list: true; because: string } | { list: false; note: string };

const SERVICE = /^spotfleet\.amazonaws\.com(\.cn)?$/;

/** Why this trust policy may let Spot Fleet assume the role, or null when it cannot. */
function admitsSpotFleet(trustPolicy: unknown): string | null {
  const statements = statementsOf(trustPolicy);
  if (!statements.length) return 'a trust policy rollcall cannot read';
  if (statements.some((s) => s.Effect === 'Allow' && s.NotPrincipal !== undefined)) return 'NotPrincipal';
  return trustedPrincipals(trustPolicy).find((p) => p === '*' || SERVICE.test(p)) ?? null;
}

/** `roles` null: the IAM roles could not be read. */
export function spotFleetGate(roles: RoleTrust[] | null): SpotFleetGate {
  if (!roles) return { list: true, because: 'the IAM roles could not be read' };
  for (const role of roles) {
    const why = admitsSpotFleet(role.trustPolicy);
    if (why) return { list: true, because: `role ${role.name} trusts ${why}` };
  }
  return {
    list: false,
    note: 'Spot fleets were not listed: no IAM role trusts spotfleet.amazonaws.com, and no Spot Fleet can run without one (its IamFleetRole, and the AWSServiceRoleForEC2SpotFleet service-linked role).',
  };
}
