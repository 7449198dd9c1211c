import { GetRoleCommand, IAMClient, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { restoredTrust, restoreRoleTrust } from '../../../src/actions/restoreRoleTrust.js';
import { executor } from '../../../src/apply/executors/restoreRoleTrust.js';
import { checkPrecondition } from '../../../src/apply/guards.js';
import { guardWrites } from '../../../src/apply/write-ahead.js';
import { trustedPrincipals } from '../../../src/answers/policy-document.js';
import type { PlanStep } from '../../../src/model/plan.js';
import type { Plain } from '../../../src/model/resource.js';
import type { Violation } from '../../../src/model/violation.js';
import { makePlan } from '../../../src/plan/planner.js';
import { inventory, NOW, role } from '../../helpers/resources.js';
import { awsError } from '../../helpers/regional.js';
import { context, step, trace } from '../apply/executors/context.js';
import { compromise, incidentBaseline, planFor } from '../plan/fixtures.js';

const ORG = 'arn:aws:iam::111111111111:root';
const INTRUDER = 'arn:aws:iam::666666666666:root';
const allow = (principal: Plain, extra: Record<string, Plain> = {}): Plain => ({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });
const doc = (...statements: Plain[]): { Version: string; Statement: Plain[] } => ({ Version: '2012-10-17', Statement: statements });
const documentOf = (r: ReturnType<typeof restoredTrust>) => {
  if ('problem' in r) throw new Error(r.problem);
  return r.document;
};

describe('restoredTrust: the trust policy that trusts exactly what the baseline declares', () => {
  it('takes out an undeclared principal, keeping the declared ones with their actions and conditions, and Deny statements', () => {
    const externalId = { StringEquals: { 'sts:ExternalId': 'x-1' } };
    const deny = { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    const current = doc(allow({ AWS: [ORG, INTRUDER] }, { Condition: externalId, Action: ['sts:AssumeRole', 'sts:TagSession'] }), allow({ AWS: INTRUDER }), deny);
    expect(documentOf(restoredTrust(current, [ORG]))).toEqual(doc(allow({ AWS: [ORG] }, { Condition: externalId, Action: ['sts:AssumeRole', 'sts:TagSession'] }), deny));
  });

  it('matches a bare account id in the document to its root ARN, and keeps the form it was written in', () => {
    expect(documentOf(restoredTrust(doc(allow({ AWS: '111111111111' }), allow({ AWS: INTRUDER })), [ORG]))).toEqual(doc(allow({ AWS: '111111111111' })));
  });

  it('drops a statement trusting anyone ("*")', () => {
    expect(documentOf(restoredTrust(doc(allow('*'), allow({ Service: 'ec2.amazonaws.com' })), ['ec2.amazonaws.com']))).toEqual(doc(allow({ Service: 'ec2.amazonaws.com' })));
  });

  it('adds declared accounts, IAM and STS ARNs and service principals the document does not name, in one statement', () => {
    const declared = [ORG, 'arn:aws:iam::222222222222:role/deployer', 'arn:aws:sts::222222222222:assumed-role/ops/alice', 'lambda.amazonaws.com', 'ec2.amazonaws.com.cn'];
    const restored = documentOf(restoredTrust(doc(allow({ AWS: INTRUDER })), declared));
    expect(restored).toEqual(
      doc({ Sid: 'RollcallBaselineTrust', Effect: 'Allow', Principal: { AWS: declared.slice(0, 3), Service: declared.slice(3) }, Action: 'sts:AssumeRole' }),
    );
    expect(trustedPrincipals(restored).sort()).toEqual([...declared].sort());
  });

  it.each([
    ['a SAML provider', 'arn:aws:iam::111111111111:saml-provider/okta'],
    ['an OIDC provider', 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com'],
    ['a web identity provider that looks like a service', 'cognito-identity.amazonaws.com'],
    ['a provider outside AWS', 'accounts.google.com'],
    ['an ARN with a wildcard', 'arn:aws:iam::111111111111:role/*'],
    ['anyone', '*'],
  ])('refuses to add %s: the plan asks for a review instead', (_what, principal) => {
    const r = restoredTrust(doc(allow({ AWS: INTRUDER })), [principal]);
    expect(r).toEqual({ problem: expect.stringContaining(JSON.stringify(principal)) });
  });

  it('keeps a declared federated principal the document already trusts, with its own action and conditions', () => {
    const oidc = 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com';
    const statement = { Effect: 'Allow', Principal: { Federated: oidc }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:*' } } };
    expect(documentOf(restoredTrust(doc(statement, allow({ AWS: INTRUDER })), [oidc]))).toEqual(doc(statement));
  });

  it('refuses what it cannot rewrite safely: no declared principal, NotPrincipal, an unreadable document', () => {
    expect(restoredTrust(doc(allow({ AWS: INTRUDER })), [])).toEqual({ problem: expect.stringContaining('declares no trusted principal') });
    expect(restoredTrust(doc({ Effect: 'Allow', NotPrincipal: { AWS: ORG }, Action: 'sts:AssumeRole' }), [ORG])).toEqual({ problem: expect.stringContaining('NotPrincipal') });
    expect(restoredTrust('not json', [ORG])).toEqual({ problem: expect.stringContaining('not a policy document') });
    expect(restoredTrust(doc(allow({ Other: ORG })), [ORG])).toEqual({ problem: expect.stringContaining('unknown kind') });
  });
});

describe('restoreRoleTrust in a plan', () => {
  const trustingIntruder = doc(allow({ AWS: [ORG, INTRUDER] }));
  const org = () => role('org', [ORG, INTRUDER], { trustPolicy: trustingIntruder });

  it('comes after the role is contained, carries the document it writes, and pins the trust policy the plan saw', () => {
    const { plan } = planFor([org()]);
    const ids = plan.steps.map((s) => s.id);
    expect(ids.slice(0, 3)).toEqual(['quarantineRole role/org', 'revokeRoleSessions role/org', 'restoreRoleTrust role/org']);
    const s = plan.steps.find((x) => x.action === 'restoreRoleTrust')!;
    expect(s.dependsOn).toEqual(['quarantineRole role/org', 'revokeRoleSessions role/org']);
    expect(JSON.parse(s.target.ref.trustPolicy!)).toEqual(doc(allow({ AWS: [ORG] })));
    expect(s.precondition).toEqual({ exists: true, props: { roleId: 'AROAORG', trustedPrincipals: [ORG, INTRUDER], trustPolicy: trustingIntruder } });
    expect(s.description).toBe(`Restore the trust policy of role org to its baseline: trust only ${ORG}`);
    expect([s.reversible, s.destructive]).toEqual([true, false]);
  });

  it('a deletion of the role (a rule of your own may ask for both) waits for it, and it for the contain steps', () => {
    const inv = inventory([org()]);
    const v: Violation = {
      ruleId: 'own-rule', title: 'Own rule', severity: 'high', status: 'fail', subject: 'role/org', resourceType: 'iam.role', resourceId: 'org', region: 'global',
      message: 'm', fingerprint: 'f'.repeat(32), remediation: ['deleteRole', 'restoreRoleTrust', 'quarantineRole'],
    };
    const { plan } = makePlan({ inventory: inv, baseline: incidentBaseline(), violations: [v], now: NOW, version: '1', destructive: true });
    expect(plan.steps.map((x) => [x.id, x.dependsOn])).toEqual([
      ['quarantineRole role/org', []],
      ['restoreRoleTrust role/org', ['quarantineRole role/org']],
      ['deleteRole role/org', ['quarantineRole role/org', 'restoreRoleTrust role/org']],
    ]);
  });

  it('a principal it cannot write becomes a reason of the manual review, not a step', () => {
    const b = incidentBaseline();
    b.iam!.roles = [{ name: 'org', trustedPrincipals: ['arn:aws:iam::111111111111:saml-provider/okta'] }];
    const { plan } = planFor([org()], { baseline: b });
    expect(plan.steps.map((s) => s.action)).not.toContain('restoreRoleTrust');
    const review = plan.steps.find((s) => s.id === 'manualReview role/org')!;
    expect(review.instructions).toContain('rollcall cannot restore the trust policy of role org');
    expect(review.instructions).toContain('saml-provider/okta');
  });

  it('the compromise fixture plans it for no role whose trust policy it cannot read', () => {
    const { plan } = planFor(compromise());
    expect(plan.steps.map((s) => s.action)).not.toContain('restoreRoleTrust');
  });
});

describe('restoreRoleTrust precondition', () => {
  const planned = doc(allow({ AWS: ORG }));
  const seen = doc(allow({ AWS: [ORG, INTRUDER] }));
  const s: PlanStep = {
    ...step('restoreRoleTrust', { type: 'iam.role', id: 'org', ref: { trustPolicy: JSON.stringify(planned) } }),
    precondition: { exists: true, props: { roleId: 'AROAORG', trustedPrincipals: [ORG, INTRUDER], trustPolicy: seen } },
  };

  it('a trust policy changed since planning is refused; the restored one counts as done already', () => {
    expect(checkPrecondition(s, { exists: true, props: { roleId: 'AROAORG', trustedPrincipals: [INTRUDER, ORG], trustPolicy: seen } })).toEqual({ kind: 'ok' });
    const other = doc(allow({ AWS: [ORG, INTRUDER, 'arn:aws:iam::777777777777:root'] }));
    expect(checkPrecondition(s, { exists: true, props: { roleId: 'AROAORG', trustedPrincipals: trustedPrincipals(other), trustPolicy: other } }).kind).toBe('changed');
    expect(checkPrecondition(s, { exists: true, props: { roleId: 'AROAORG', trustedPrincipals: [ORG], trustPolicy: planned } })).toEqual({ kind: 'end-state' });
    expect(checkPrecondition(s, { exists: true, props: { roleId: 'AROAOTHER', trustedPrincipals: [ORG], trustPolicy: planned } }).kind).toBe('changed');
  });
  it("the role's other steps in the same plan take the restored trust policy as the plan's own doing, not as a change", () => {
    const quarantine: PlanStep = {
      ...step('quarantineRole', { type: 'iam.role', id: 'org' }),
      precondition: { exists: true, props: { roleId: 'AROAORG', trustedPrincipals: [ORG, INTRUDER] } },
    };
    const restored = { exists: true, props: { roleId: 'AROAORG', trustedPrincipals: [ORG], trustPolicy: planned } };
    expect(checkPrecondition(quarantine, restored).kind).toBe('changed');
    expect(checkPrecondition(quarantine, restored, { steps: [quarantine, s] })).toEqual({ kind: 'ok' });
    const other = { exists: true, props: { roleId: 'AROAORG', trustedPrincipals: ['arn:aws:iam::777777777777:root'] } };
    expect(checkPrecondition(quarantine, other, { steps: [quarantine, s] }).kind).toBe('changed');
    const elsewhere = { ...s, id: 'restoreRoleTrust role/other', target: { ...s.target, id: 'other', subject: 'role/other' } };
    expect(checkPrecondition(quarantine, restored, { steps: [quarantine, elsewhere] }).kind).toBe('changed');
  });
});

const undo = executor.undo;

describe('restoreRoleTrust executor', () => {
  it('is the executor its action loads', async () => {
    const def = restoreRoleTrust;
    if (def.manual) throw new Error('restoreRoleTrust is not manual');
    expect(await def.executor()).toBe(executor);
  });

  const iam = mockClient(IAMClient);
  beforeEach(() => iam.reset());
  const def = restoreRoleTrust;
  if (def.manual || !def.reversible) throw new Error('restoreRoleTrust must be reversible');
  const before = doc(allow({ AWS: [ORG, INTRUDER] }));
  const previousText = `{"Version":"2012-10-17", "Statement":[{"Effect":"Allow","Principal":{"AWS":["${ORG}","${INTRUDER}"]},"Action":"sts:AssumeRole"}]}`;
  const wanted = JSON.stringify(doc(allow({ AWS: [ORG] })));
  const s = step('restoreRoleTrust', { type: 'iam.role', id: 'org', ref: { trustPolicy: wanted } });
  const getRole = (text: string) => ({ Role: { RoleName: 'org', RoleId: 'AROAORG', Arn: 'arn:aws:iam::123456789012:role/org', Path: '/', CreateDate: new Date(0), AssumeRolePolicyDocument: encodeURIComponent(text) } });

  it('journals the document it finds (the text, exactly) before it writes the planned one; undo writes that text back', async () => {
    iam.on(GetRoleCommand).resolves(getRole(previousText));
    iam.on(UpdateAssumeRolePolicyCommand).resolves({});
    const ctx = context();
    let intended = false;
    const guarded = { ...ctx, clients: guardWrites(ctx.clients, () => intended, s.id), intend: (u?: Record<string, unknown>) => (intended = true, ctx.intend(u as never)) };
    const outcome = await executor.run(s, guarded);
    expect(outcome).toEqual({ result: 'done', undo: { role: 'org', document: previousText } });
    expect(ctx.intents).toEqual([{ role: 'org', document: previousText }]);
    expect(await undo(s, outcome.undo!, ctx)).toBe('undone');
    expect(trace(iam)).toEqual(['GetRole org', `UpdateAssumeRolePolicy org ${wanted}`, `UpdateAssumeRolePolicy org ${previousText}`]);
    expect(ctx.logs).toEqual(['put the earlier trust policy of role org back']);
  });

  it('writes nothing before its intent: without it, the write is refused and nothing is sent', async () => {
    iam.on(GetRoleCommand).resolves(getRole(JSON.stringify(before)));
    const ctx = context();
    const unjournaled = { ...ctx, clients: guardWrites(ctx.clients, () => false, s.id) };
    await expect(executor.run(s, unjournaled)).rejects.toThrow(/called UpdateAssumeRolePolicy before journaling its intent/);
    expect(trace(iam)).toEqual(['GetRole org']);
  });

  it('is already done when the role trusts what the plan writes (in any spacing), or the role is gone', async () => {
    iam.on(GetRoleCommand).resolvesOnce(getRole(JSON.stringify(JSON.parse(wanted), null, 2))).rejectsOnce(awsError('NoSuchEntityException', 'cannot be found', 404));
    expect(await executor.run(s, context())).toEqual({ result: 'already' });
    expect(await executor.run(s, context())).toEqual({ result: 'already' });
    expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)).toHaveLength(0);
  });

  it('a role deleted between the read and the write is already done; undo of a deleted role says gone', async () => {
    iam.on(GetRoleCommand).resolves(getRole(previousText));
    iam.on(UpdateAssumeRolePolicyCommand).rejects(awsError('NoSuchEntityException', 'cannot be found', 404));
    expect(await executor.run(s, context())).toEqual({ result: 'already' });
    expect(await undo(s, { role: 'org', document: previousText }, context())).toBe('gone');
  });

  it('observes the role as the collector maps it', async () => {
    iam.on(GetRoleCommand).resolves(getRole(previousText));
    const seen = await executor.observe(s, context());
    expect(seen.props.trustPolicy).toEqual(before);
    expect(seen.props.trustedPrincipals).toEqual([ORG, INTRUDER]);
  });

  it('refuses a step that carries no document', async () => {
    iam.on(GetRoleCommand).resolves(getRole(previousText));
    await expect(executor.run(step('restoreRoleTrust', { type: 'iam.role', id: 'org' }), context())).rejects.toThrow(/names no trust policy/);
  });
});
