/**
 * AWS's own containment of an exposed key: when AWS finds a user's access key
 * in public, it attaches one of its managed quarantine policies to that user
 * (a deny of the actions intruders use most). While the baseline's incident
 * is open, such an attachment is expected, reported as info, and never
 * detached by a plan; once the incident is closed it is judged like any other
 * attachment. The rules (rules/compromise/iam-aws-quarantine-*.yaml and
 * iam-policy-attachment-undeclared.yaml) match the same ARNs with
 * AWS_QUARANTINE_ARN_PATTERN (a test keeps them equal).
 */
import type { BaselineIncident } from './baseline.js';

/** The AWS managed quarantine policies, oldest first. */
export const AWS_QUARANTINE_POLICY_ARNS = [
  'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine',
  'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2',
  'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
] as const;

/** The regular expression the rules use for those ARNs (a rule's `matches`). */
export const AWS_QUARANTINE_ARN_PATTERN = '^arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine(V2|V3)?$';

export function isAwsQuarantinePolicy(policyArn: unknown): boolean {
  return typeof policyArn === 'string' && (AWS_QUARANTINE_POLICY_ARNS as readonly string[]).includes(policyArn);
}

/**
 * Whether the baseline's incident is open at `now`: it has an `incident`
 * section whose `until`, if any, is not past. (An incident without `since`
 * is open too: AWS's notice may come before anyone knows when it began.)
 * The rules say the same with `exists: baseline.incident` and
 * `not: { olderThanDays: { path: baseline.incident.until, days: 0 } }`.
 */
export function incidentOpen(incident: BaselineIncident | undefined, now: Date): boolean {
  if (incident === undefined) return false;
  if (incident.until === undefined) return true;
  const until = Date.parse(incident.until);
  return Number.isNaN(until) || now.getTime() - until <= 0;
}
