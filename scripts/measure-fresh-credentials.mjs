// Measures the IAM calls of a second collection within the 4 hours AWS reuses
// a credential report, on the benchmark's iam-heavy account (scripts/bench.mjs:
// 2,000 users with 2 or 1 keys, 1,000 roles), before and after reading
// CloudTrail's event history instead of re-checking every user
// (src/collect/iam-changes.ts). IAM is the emulator's; LookupEvents, which the
// emulator does not implement, is answered by aws-sdk-client-mock with events
// naming 3 users, whose changes are also made in the emulator between the runs
// so that the re-checks have something to find. The emulator dates every
// report 2015: for the third run the report's GeneratedTime is set to 30
// minutes ago, as AWS would date a reused one.
// Prints, for: 1. the first run (a fresh report), 2. a second run re-checking
// every user (the fallback, as before), 3. a second run with the event history:
// IAM calls by operation, LookupEvents calls, wall time (the emulator's, not
// AWS's), and whether the changed users' new state was found.
// Not a test: `npx tsc -p tsconfig.build.json` (or `npm run build`) first, then
// `node scripts/measure-fresh-credentials.mjs [users]`.
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateLoginProfileCommand, CreateRoleCommand, CreateUserCommand, IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import pLimit from 'p-limit';
import { startMoto } from './moto.mjs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const USERS = Number(process.argv[2] ?? 2000);
const ROLES = Math.round(USERS / 2);
const KEYS = [2, 1];
const ACCOUNT = '123456789012';
const name = (i) => `user-${String(i).padStart(5, '0')}`;

const moto = await startMoto({ timeoutMs: 60_000 });
try {
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'AKIAMEASURE000000001';
  process.env.AWS_SECRET_ACCESS_KEY = 'measure';
  process.env.AWS_REGION = 'us-east-1';
  const { AwsClients, DEFAULT_CLIENT_OPTIONS } = await import('../dist/aws/clients.js');
  const { collectIam } = await import('../dist/collect/iam.js');

  const seeder = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', maxAttempts: 10 });
  const limit = pLimit(16);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: USERS }, (_, i) =>
      limit(async () => {
        await seeder.send(new CreateUserCommand({ UserName: name(i) }));
        for (let k = 0; k < KEYS[i % KEYS.length]; k++) await seeder.send(new CreateAccessKeyCommand({ UserName: name(i) })); // secrets dropped
      }),
    ),
  );
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  await Promise.all(Array.from({ length: ROLES }, (_, i) => limit(() => seeder.send(new CreateRoleCommand({ RoleName: `role-${i}`, AssumeRolePolicyDocument: trust })))));
  console.log(`seeded ${USERS} users, ${ROLES} roles in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  async function collect(label, options = {}) {
    const clients = new AwsClients({ ...DEFAULT_CLIENT_OPTIONS, region: 'us-east-1' });
    const iam = clients.iam();
    if (options.reportAt) {
      iam.middlewareStack.add(
        (next) => async (args) => {
          const out = await next(args);
          if (out.output?.GeneratedTime) out.output.GeneratedTime = options.reportAt;
          return out;
        },
        { step: 'initialize', name: 'measureReportTime' },
      );
    }
    const t = performance.now();
    try {
      const result = await collectIam(iam, { accountId: ACCOUNT, now: new Date(), ...(options.events ? { events: options.events } : {}) });
      const seconds = (performance.now() - t) / 1000;
      const calls = clients.counter.snapshot();
      const iamCalls = Object.entries(calls).filter(([op]) => op.startsWith('iam:'));
      const total = iamCalls.reduce((a, [, n]) => a + n, 0);
      return { label, seconds, total, iamCalls: Object.fromEntries(iamCalls), result };
    } finally {
      clients.destroy();
    }
  }

  const show = (r, extra = '') => {
    console.log(`\n${r.label}: ${r.total} IAM calls in ${r.seconds.toFixed(1)} s (emulator)${extra}`);
    for (const [op, n] of Object.entries(r.iamCalls).sort()) console.log(`  ${op.padEnd(36)} ${n}`);
  };

  const first = await collect('1. first run (fresh report)');
  show(first);

  // Changes after the report: a new key, a deactivated key, a new password; the events below name their users.
  const [newKeyUser, updatedUser, passwordUser] = [name(5), name(10), name(21)];
  const created = await seeder.send(new CreateAccessKeyCommand({ UserName: newKeyUser }));
  const newKeyId = created.AccessKey.AccessKeyId;
  const updatedKey = first.result.resources.find((r) => r.type === 'iam.accessKey' && r.props.user === updatedUser).id;
  await seeder.send(new UpdateAccessKeyCommand({ UserName: updatedUser, AccessKeyId: updatedKey, Status: 'Inactive' }));
  await seeder.send(new CreateLoginProfileCommand({ UserName: passwordUser, Password: `Measure-${Date.now()}-x9` }));

  const found = (r) => {
    const key = r.result.resources.find((x) => x.type === 'iam.accessKey' && x.id === newKeyId);
    const inactive = r.result.resources.find((x) => x.type === 'iam.accessKey' && x.id === updatedKey)?.props.status === 'Inactive';
    const password = r.result.resources.some((x) => x.type === 'iam.loginProfile' && x.id === passwordUser);
    return ` | new key found: ${key ? 'yes' : 'NO'}, deactivation seen: ${inactive ? 'yes' : 'NO'}, new password seen: ${password ? 'yes' : 'NO'}`;
  };

  const before = await collect('2. second run, before item 8 (every user re-checked)');
  show(before, found(before));

  const reportAt = new Date(Date.now() - 30 * 60_000);
  const at = (m) => new Date(reportAt.getTime() + m * 60_000).toISOString();
  const record = (eventName, time, request, response = null) =>
    JSON.stringify({
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/admin`, accountId: ACCOUNT, userName: 'admin' },
      eventTime: time,
      eventSource: 'iam.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      requestParameters: request,
      responseElements: response,
      eventID: `${eventName}-${time}`,
      readOnly: false,
      managementEvent: true,
    });
  const EVENTS = {
    CreateAccessKey: [record('CreateAccessKey', at(5), { userName: newKeyUser }, { accessKey: { userName: newKeyUser, accessKeyId: newKeyId, status: 'Active' } })],
    UpdateAccessKey: [record('UpdateAccessKey', at(6), { userName: updatedUser, accessKeyId: updatedKey, status: 'Inactive' })],
    CreateLoginProfile: [record('CreateLoginProfile', at(7), { userName: passwordUser, passwordResetRequired: false })],
  };
  const trail = mockClient(CloudTrailClient);
  trail.on(LookupEventsCommand).callsFake((input) => {
    const eventName = input.LookupAttributes[0].AttributeValue;
    return { Events: (EVENTS[eventName] ?? []).map((e) => ({ EventName: eventName, EventSource: 'iam.amazonaws.com', CloudTrailEvent: e })) };
  });
  const events = { partition: 'aws', cloudtrail: (region) => new CloudTrailClient({ region }) };
  const after = await collect('3. second run, after item 8 (CloudTrail event history, 3 users named)', { events, reportAt });
  const lookups = trail.commandCalls(LookupEventsCommand).length;
  show(after, `${found(after)} | LookupEvents calls: ${lookups} (at 2 per second: ${(lookups / 2).toFixed(1)} s, beside GetAccountAuthorizationDetails)`);
  trail.restore();
  const perUser = (r) => ['iam:ListAccessKeys', 'iam:GetLoginProfile', 'iam:GetAccessKeyLastUsed'].reduce((a, op) => a + (r.iamCalls[op] ?? 0), 0);
  console.log(`\nper-user IAM calls of a second run: ${perUser(before)} before, ${perUser(after)} after (the floor: ${USERS} ListAccessKeys, one per user with keys)`);
  seeder.destroy();
} finally {
  await moto.stop();
}
