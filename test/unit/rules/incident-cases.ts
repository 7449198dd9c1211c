/**
 * The failing and passing cases of the incident rules on AWS's quarantine
 * and on passwords older than the incident, for the built-in rules test
 * (builtin-rules.test.ts spreads them into its table).
 */
import { AWS_QUARANTINE_POLICY_ARNS } from '../../../src/model/aws-quarantine.js';
import type { Baseline } from '../../../src/model/baseline.js';
import type { Resource } from '../../../src/model/resource.js';
import { attachment, baseline, daysAgo, loginProfile, user } from '../../helpers/resources.js';

interface Case {
  baseline: Baseline;
  resources: Resource[];
  subjects: string[];
}

const [V1, V2, V3] = AWS_QUARANTINE_POLICY_ARNS;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** NOW is 2026-11-22T12:00:00Z: this incident began 2026-11-01 and is open. */
const open = baseline({ incident: { exposedKeys: ['AKIAEXPOSED000000001'], since: '2026-11-01T00:00:00Z', awsQuarantined: ['ci', 'bob', 'gone'] } });
/** Still open: its end is after NOW. */
const endsLater = baseline({ incident: { since: '2026-11-01T00:00:00Z', until: '2026-12-01T00:00:00Z', awsQuarantined: ['ci'] } });
const closed = baseline({ incident: { since: '2026-11-01T00:00:00Z', until: '2026-11-20T00:00:00Z', awsQuarantined: ['ci'] } });

const withPassword = (name: string, lastChanged: string | null): Resource => {
  const r = loginProfile(name);
  return { ...r, props: { ...r.props, passwordLastChanged: lastChanged } };
};

export const INCIDENT_CASES: Record<string, { fail: Case; pass: Case }> = {
  'iam-aws-quarantine-policy-attached': {
    fail: {
      baseline: open,
      resources: [attachment('user', 'ci', V1), attachment('user', 'bob', V2), attachment('user', 'eve', V3), attachment('user', 'ci', ADMIN)],
      subjects: [`attachment/user/ci/${V1}`, `attachment/user/bob/${V2}`, `attachment/user/eve/${V3}`],
    },
    pass: {
      // no incident, a closed one, and the policy on a role (AWS quarantines users only)
      baseline: closed,
      resources: [attachment('user', 'ci', V3), attachment('role', 'app', V3), attachment('user', 'ci', `${V3}X`)],
      subjects: [],
    },
  },
  'iam-aws-quarantine-removed': {
    fail: {
      baseline: open,
      // ci lost it; bob has another policy only; gone does not exist (not reported); eve is not listed
      resources: [user('ci'), user('bob', { attachedPolicies: [ADMIN] }), user('eve')],
      subjects: ['user/ci', 'user/bob'],
    },
    pass: {
      baseline: endsLater,
      resources: [user('ci', { attachedPolicies: [ADMIN, V2] }), user('bob')],
      subjects: [],
    },
  },
  'iam-console-password-before-incident': {
    fail: {
      baseline: open,
      resources: [withPassword('alice', '2026-10-31T23:59:59Z'), withPassword('bob', null), withPassword('carol', '2026-11-01T00:00:00Z'), withPassword('dave', daysAgo(3))],
      subjects: ['loginProfile/alice', 'loginProfile/bob', 'loginProfile/carol'],
    },
    pass: {
      // changed since the incident began (a baseline without incident.since: aws-quarantine.test.ts)
      baseline: open,
      resources: [withPassword('dave', daysAgo(3)), withPassword('erin', '2026-11-01T00:00:01Z')],
      subjects: [],
    },
  },
};
