/**
 * restoreRoleTrust: rewrites a role's trust policy (UpdateAssumeRolePolicy)
 * so that it trusts exactly the principals its baseline entry declares
 * (`trustedPrincipals`). Reversible: the document found before the change is
 * journaled as the intent, and undo puts it back as it was.
 *
 * The new document is the current one with every principal the baseline
 * does not declare taken out: an Allow statement keeps its declared
 * principals with its actions and conditions (an external id, an OIDC
 * audience only narrow who may assume), one left with no principal goes, and
 * Deny statements stay. A declared principal the document does not name yet
 * is added in one statement allowing sts:AssumeRole, when it can be written
 * safely: an account (its root ARN), an IAM user or role ARN, an STS
 * assumed-role or federated-user ARN, or an AWS service principal. Anything
 * else (a SAML or OIDC provider, which needs its own action and conditions,
 * `*`, a wildcard, a form rollcall does not know) is not written: the plan
 * asks for a review by hand instead, and so it does when the baseline
 * declares no principal at all (a trust policy must allow someone).
 *
 * The step carries the planned document (its target's `ref.trustPolicy`), so
 * what runs is what was reviewed, and its precondition holds the trust policy
 * the plan saw: a policy changed since planning is refused.
 */
import { decodePolicyDocument, statementsOf, trustedPrincipals } from '../answers/policy-document.js';
import { canonicalJson } from '../model/digest.js';
import type { PlanStep } from '../model/plan.js';
import { normalizePrincipal } from '../model/principal.js';
import type { Plain } from '../model/resource.js';
import type { ActionDefinition } from './definition.js';

type Json = Record<string, unknown>;

const VERSION = '2012-10-17';
const PRINCIPAL_KINDS = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
const AWS_PRINCIPAL = /^arn:aws(-[a-z]+)*:(iam::\d{12}:(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)|sts::\d{12}:(assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+))$/;
const SERVICE_PRINCIPAL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.amazonaws\.com(\.cn)?$/;
/** Service-looking names that are web identity providers: trusting them needs AssumeRoleWithWebIdentity and conditions. */
const FEDERATED_SERVICES = new Set(['cognito-identity.amazonaws.com']);

/** How a declared principal is written into a new statement, if it can be written safely. */
function principalKind(p: string): 'AWS' | 'Service' | undefined {
  if (AWS_PRINCIPAL.test(p)) return 'AWS';
  if (SERVICE_PRINCIPAL.test(p) && !FEDERATED_SERVICES.has(p)) return 'Service';
  return undefined;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && new Set([...a, ...b]).size === new Set(a).size;

export type RestoredTrust = { document: Json } | { problem: string };

/**
 * The trust policy that trusts exactly `declared` (normalised principals),
 * made from `current`; or why it cannot be written safely. Pure.
 */
export function restoredTrust(current: unknown, declared: readonly string[]): RestoredTrust {
  if (declared.length === 0) return { problem: 'the baseline declares no trusted principal, and a trust policy must allow someone' };
  const wild = declared.find((p) => p.includes('*') || p.includes('?'));
  if (wild !== undefined) return { problem: `the baseline trusts ${JSON.stringify(wild)}, a wildcard rollcall does not write into a trust policy` };
  if (!isObject(current) || statementsOf(current).length === 0) return { problem: 'its current trust policy is not a policy document with statements' };
  const wanted = new Set(declared);
  const covered = new Set<string>();
  const statements: Json[] = [];
  for (const s of statementsOf(current)) {
    if (s.Effect !== 'Allow') {
      statements.push(s); // a Deny only takes trust away
      continue;
    }
    if ('NotPrincipal' in s) return { problem: 'its trust policy allows through NotPrincipal, which rollcall does not rewrite' };
    if (s.Principal === '*') continue;
    if (!isObject(s.Principal)) return { problem: 'a statement of its trust policy has a Principal rollcall cannot read' };
    const kept: Json = {};
    for (const [kind, value] of Object.entries(s.Principal)) {
      if (!PRINCIPAL_KINDS.includes(kind)) return { problem: `a statement of its trust policy names principals of an unknown kind (${JSON.stringify(kind)})` };
      const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
      if (values === undefined || !values.every((v): v is string => typeof v === 'string')) return { problem: 'a statement of its trust policy has a Principal rollcall cannot read' };
      const keep = values.filter((v) => wanted.has(normalizePrincipal(v)));
      for (const v of keep) covered.add(normalizePrincipal(v));
      if (keep.length > 0) kept[kind] = typeof value === 'string' ? value : keep;
    }
    if (Object.keys(kept).length > 0) statements.push({ ...s, Principal: kept });
  }
  const missing = declared.filter((p) => !covered.has(p));
  const added: Record<'AWS' | 'Service', string[]> = { AWS: [], Service: [] };
  for (const p of missing) {
    const kind = principalKind(p);
    if (kind === undefined) return { problem: `the baseline trusts ${JSON.stringify(p)}, which rollcall cannot add safely (a SAML or OIDC provider needs its own action and conditions)` };
    added[kind].push(p);
  }
  const principal: Json = {};
  if (added.AWS.length > 0) principal.AWS = added.AWS;
  if (added.Service.length > 0) principal.Service = added.Service;
  if (Object.keys(principal).length > 0) statements.push({ Sid: 'RollcallBaselineTrust', Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' });
  const document = { Version: typeof current.Version === 'string' ? current.Version : VERSION, Statement: statements };
  // What the collector will read back must be what the baseline declares.
  if (!sameSet(trustedPrincipals(document), [...wanted])) return { problem: 'rollcall could not make a trust policy that names exactly the declared principals' };
  return { document };
}

/** The planned document a step carries. */
export function plannedDocument(step: Pick<PlanStep, 'target' | 'id'>): string {
  const text = step.target.ref.trustPolicy;
  if (text === undefined || text === '') throw new Error(`step ${step.id} names no trust policy to write`);
  return text;
}

export const sameDocument = (a: string, b: string) => canonicalJson(decodePolicyDocument(a) as Plain) === canonicalJson(decodePolicyDocument(b) as Plain);

export const restoreRoleTrust: ActionDefinition = {
  manual: false,
  reversible: true,
  destructive: false,
  targets: ['iam.role'],
  phase: 'cut',
  describe: (t) => `Restore the trust policy of role ${t.id} to its baseline: trust only ${trustedPrincipals(decodePolicyDocument(t.ref.trustPolicy)).join(', ')}`,
  keep: ['roleId', 'trustedPrincipals', 'trustPolicy'],
  endState: (step) => {
    const document = decodePolicyDocument(plannedDocument(step)) as Plain;
    return { trustPolicy: [document], trustedPrincipals: [trustedPrincipals(document)] };
  },
  plan(p, v, r) {
    if (r?.type !== 'iam.role') return p.standard('restoreRoleTrust', v, r);
    const declared = p.declared(r)?.trustedPrincipals;
    const restored: RestoredTrust = Array.isArray(declared) ? restoredTrust(r.props.trustPolicy, declared.map(String)) : { problem: 'its baseline entry declares no trusted principals' };
    if ('problem' in restored) return p.review(v, r, { code: 'cannot-act', text: `rollcall cannot restore the trust policy of role ${r.id}: ${restored.problem}; fix it by hand` });
    if (sameDocument(JSON.stringify(r.props.trustPolicy), JSON.stringify(restored.document))) return; // nothing to restore
    p.standard('restoreRoleTrust', v, r, { trustPolicy: JSON.stringify(restored.document) });
  },
  // The contain steps on the role see its trust policy as planned: they run before it changes.
  waitsFor: (self, o) => o.target.subject === self.target.subject && !o.destructive,
  permissions: ['iam:GetRole', 'iam:UpdateAssumeRolePolicy'],
  executor: () => import('../apply/executors/restoreRoleTrust.js').then((m) => m.executor),
};
