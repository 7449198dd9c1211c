import { readFileSync, writeFileSync } from 'node:fs';
import { CreateAccessKeyCommand, CreateUserCommand, ListAccessKeysCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { identify, type RunIdentity } from '../../src/apply/guards.js';
import type { AwsClients } from '../../src/aws/clients.js';
import type { SeededAccount } from '../../src/demo/seed-compromise.js';
import { ApplyRefused, InputError } from '../../src/errors.js';
import { loadPlan } from '../../src/load/plan.js';
import { compromisePlan, inTemp, makeClients, seedAccount, snapshot } from '../helpers/apply-fixture.js';
import { makePlan, planStep, redigest } from '../helpers/plans.js';
import { ACCOUNT } from '../helpers/resources.js';
import { tempDir } from '../unit/apply/fakes.js';

let clients: AwsClients;
let seeded: SeededAccount;
let caller: RunIdentity;
let dir: string;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeEach(async () => {
  seeded = await seedAccount();
  clients = makeClients();
  caller = await identify(clients);
  dir = tempDir();
});
afterEach(() => {
  clients.destroy();
  process.env.AWS_ACCESS_KEY_ID = saved.id;
  process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
});

describe('apply guards against the emulator', () => {
  it('refuses a plan for another account before touching anything', async () => {
    const { plan } = await compromisePlan(clients.iam(), seeded, caller);
    const before = await snapshot(clients.iam());
    const other = redigest(plan, { accountId: '999999999999' });
    const err = await applyPlan(other, { clients, ...inTemp(dir) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplyRefused);
    expect((err as Error).message).toBe(`plan is for account 999999999999, credentials are for ${ACCOUNT}: refusing to apply`);
    expect(await snapshot(clients.iam())).toEqual(before);
  });

  it('refuses a tampered plan file (a step changed after planning): the digest no longer matches', async () => {
    const { plan } = await compromisePlan(clients.iam(), seeded, caller);
    const file = inTemp(dir).planFile;
    writeFileSync(file, JSON.stringify(plan, null, 2));
    expect(loadPlan(file).digest).toBe(plan.digest);
    const tampered = JSON.parse(readFileSync(file, 'utf8')) as typeof plan;
    tampered.steps[0]!.target.ref.user = 'ci-deployer';
    writeFileSync(file, JSON.stringify(tampered, null, 2));
    expect(() => loadPlan(file)).toThrow(InputError);
    expect(() => loadPlan(file)).toThrow(/digest mismatch/);
  });

  it('skips steps that target the identity running apply (its access key and its user), and runs the rest', async () => {
    // Apply runs as an IAM user of the account, with that user's own access key.
    const iam = clients.iam();
    await iam.send(new CreateUserCommand({ UserName: 'responder' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'responder' }))).AccessKey!;
    process.env.AWS_ACCESS_KEY_ID = key.AccessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = key.SecretAccessKey;
    const own = makeClients();
    try {
      const me = await identify(own);
      expect(me).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:user/responder`, accessKeyId: key.AccessKeyId });
      const ownKey = planStep('deactivateAccessKey', 'iam.accessKey', key.AccessKeyId!, { ref: { user: 'responder' }, precondition: { status: 'Active' } });
      const ownUser = planStep('quarantineUser', 'iam.user', 'responder');
      const other = planStep('quarantineUser', 'iam.user', 'backup-admin');
      const plan = makePlan([ownKey, ownUser, other], { caller: { account: me.account, arn: me.arn, userId: me.userId } });
      const out: string[] = [];
      const result = await applyPlan(plan, { clients: own, ...inTemp(dir), out: (l) => out.push(l) });
      expect(result.steps.map((s) => [s.id, s.status])).toEqual([
        [ownKey.id, 'skipped'],
        [ownUser.id, 'skipped'],
        [other.id, 'done'],
      ]);
      expect(out).toContain(`skipped     ${ownKey.id}: never acts on the identity running apply: access key ${key.AccessKeyId} is the one this apply runs with`);
      expect(out).toContain(`skipped     ${ownUser.id}: never acts on the identity running apply: it belongs to IAM user responder, who runs this apply`);
      expect(result.exitCode).toBe(1);
      expect((await iam.send(new ListAccessKeysCommand({ UserName: 'responder' }))).AccessKeyMetadata![0]!.Status).toBe('Active');
      expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'responder' }))).PolicyNames).toEqual([]);
      expect((await iam.send(new ListUserPoliciesCommand({ UserName: 'backup-admin' }))).PolicyNames).toEqual(['rollcall-quarantine']);
      expect(out.join('\n')).not.toContain(key.SecretAccessKey!);
    } finally {
      own.destroy();
    }
  });

  it('refuses to run as another identity than the one that planned', async () => {
    const plan = makePlan([planStep('quarantineUser', 'iam.user', 'backup-admin')], { caller: { account: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/someone`, userId: 'AIDA' } });
    await expect(applyPlan(plan, { clients, ...inTemp(dir) })).rejects.toThrow(`plan was made by arn:aws:iam::${ACCOUNT}:user/someone, credentials are for ${caller.arn}`);
  });
});
