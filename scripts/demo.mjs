// rollcall's whole loop, on an emulated account: seed a realistic compromise
// into the AWS emulator, audit it against baselines/example.yaml, plan the
// remediation, apply it, do what the responder does by hand (switch the
// exposed key's application to the replacement, declare it in the baseline),
// plan and apply again, and audit once more: only manual steps remain, and the
// exposed key's deletion, which waits for the grace period after its deactivation.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedMotoRandom, startMoto } from './moto.mjs';
// The seeding is compiled apart (npm run build:demo), into build/: it is not part of the package.
import { demoClients } from '../build/demo/clients.js';
import { DEMO_RANDOM_SEED, seedDemoAccount } from '../build/demo/seed-compromise.js';
import { ACTIONS } from '../dist/actions/registry.js';

// The pinned SDK supports Node 20; its notice about future releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const say = (m = '') => process.stderr.write(`demo: ${m}\n`);
const heading = (m) => {
  say();
  say(`━━ ${m}`);
  say();
};

const STATUS = /^(done|already|resumed|manual-done|would-run|pending|waiting|skipped|refused|failed|blocked|not-run) +(.+?)(?:: .*)?$/;

say('starting the AWS emulator (moto server) ...');
const moto = await startMoto();
let code = 1;
/** The demo's folder (plans, journals, the replacement key's secret file): removed at the end, with the emulated account. */
let dir;
const removeDir = () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
};
// Interrupted: the folder and the emulator go all the same.
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]]) {
  process.once(signal, () => {
    removeDir();
    try {
      process.kill(moto.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    process.exit(128 + number);
  });
}
try {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIADEMOAUDITOR00001',
    AWS_SECRET_ACCESS_KEY: 'demo-only-not-a-secret',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  delete env.AWS_PROFILE;
  delete env.AWS_SESSION_TOKEN;
  /** Runs the CLI: its output shown as it comes, or captured (for the shorter follow-up runs). */
  const rollcall = (args, { show = true } = {}) => {
    say(`$ rollcall ${args.map((a) => (/[\s{}]/.test(a) ? `'${a}'` : a)).join(' ')}`);
    const r = spawnSync(process.execPath, ['dist/bin/rollcall.js', ...args], { cwd: root, env, encoding: 'utf8', stdio: show ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  /** Apply's one line per step, and its closing tally (the manual steps' instructions are in plan.md already). */
  const results = (r) => r.stdout.split('\n').filter((l) => STATUS.test(l) || l.startsWith('Apply finished'));
  const expect = (what, got, want) => {
    if (got !== want) throw new Error(`${what} exited with ${got}, expected ${want}`);
  };

  await seedMotoRandom(moto.endpoint, DEMO_RANDOM_SEED);
  const clients = demoClients({ endpoint: moto.endpoint, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } });
  const seeded = await seedDemoAccount(clients, '123456789012');
  clients.destroy();
  dir = mkdtempSync(path.join(tmpdir(), 'rollcall-demo-'));
  const file = (name) => path.join(dir, name);
  // In CI a reviewer approves the digest that `plan` printed; here the demo approves the plan it just wrote.
  const approval = (name) => JSON.parse(readFileSync(file(name), 'utf8')).digest.slice(0, 12);
  say(`seeded account 123456789012 at ${moto.endpoint}: the legitimate setup of baselines/example.yaml, plus an intruder's leftovers in IAM and in far regions`);
  say(`plans, journals and the replacement key's secret file go to ${dir}, removed when the demo ends (with the emulated account)`);

  heading('1. audit: what is in the account that should not be?');
  const audit = rollcall(['audit', '-q', '--baseline', 'baselines/example.yaml']);
  expect('audit', audit.code, 1);
  say('exit 1: violations at or above --fail-on, as expected for a compromised account');

  heading('2. plan: the remediation, written down for review (deletes and terminations too: --destructive)');
  expect('plan', rollcall(['plan', '-q', '--baseline', 'baselines/example.yaml', '--destructive', '--out', file('plan.json')], { show: false }).code, 0);
  process.stdout.write(readFileSync(file('plan.md'), 'utf8'));

  heading('3. apply: exactly that plan, guarded and journaled; manual steps are left for a person');
  const applied = rollcall(['apply', file('plan.json'), '--yes', '--approve', approval('plan.json')]);
  expect('apply', applied.code, 4);
  say('exit 4: every step rollcall can take is done; the manual steps, and the one step that waits for one, are pending');

  heading("4. by hand: the responder switches legacy-bot's application to the replacement key, and says so");
  const journal = readFileSync(file('plan.json.journal'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const replacement = journal.find((e) => e.type === 'step' && e.step?.action === 'createReplacementKey').undo.accessKeyId;
  const exposed = seeded.keys.legacyBot;
  const switched = rollcall(['apply', file('plan.json'), '--yes', '--approve', approval('plan.json'), '--done', `manualSwitchCredentials accessKey/${exposed}`], { show: false });
  expect('apply --done', switched.code, 4);
  for (const line of results(switched).filter((l) => !l.startsWith('resumed') && !l.startsWith('pending'))) process.stdout.write(`${line}\n`);
  const example = readFileSync('baselines/example.yaml', 'utf8');
  writeFileSync(file('baseline.yaml'), example.replace(`- { id: ${exposed} }`, `- { id: ${replacement} }`));
  say(`and declares the replacement key ${replacement} for legacy-bot in the baseline (${file('baseline.yaml')}), in place of the exposed ${exposed}`);

  heading("5. plan and apply again: the exposed key is inactive, but deactivated moments ago: its deletion waits for the grace period");
  const planned2 = rollcall(['plan', '--baseline', file('baseline.yaml'), '--destructive', '--out', file('plan-2.json')], { show: false });
  expect('plan', planned2.code, 0);
  const plan2 = JSON.parse(readFileSync(file('plan-2.json'), 'utf8'));
  const grace = new RegExp(`^rollcall: note: (Exposed access key ${exposed} .* grace period until (\\S+); plan again after that\\.)$`, 'm').exec(planned2.stderr);
  if (!grace) throw new Error(`the plan does not say when the exposed key's grace period ends:\n${planned2.stderr}`);
  if (plan2.steps.some((s) => s.action === 'deleteAccessKey')) throw new Error('the plan deletes the exposed key during its grace period');
  say(grace[1]);
  const applied2 = rollcall(['apply', file('plan-2.json'), '--yes', '--approve', approval('plan-2.json')], { show: false });
  expect('apply', applied2.code, 4);
  for (const line of results(applied2).filter((l) => !l.startsWith('pending'))) process.stdout.write(`${line}\n`);

  heading('6. audit again');
  const last = rollcall(['audit', '-q', '--baseline', file('baseline.yaml')]);
  expect('audit', last.code, 1);

  // Only manual steps remain: every step of the last plan that rollcall can take is done (or was already).
  const status = new Map(results(applied2).map((l) => STATUS.exec(l)).filter(Boolean).map((m) => [m[2], m[1]]));
  const manual = plan2.steps.filter((s) => ACTIONS[s.action].manual);
  const api = plan2.steps.filter((s) => !ACTIONS[s.action].manual);
  const left = api.filter((s) => !['done', 'already'].includes(status.get(s.id)));
  if (left.length > 0) throw new Error(`steps rollcall should have taken are left: ${left.map((s) => `${s.id} (${status.get(s.id)})`).join(', ')}`);
  heading(`rollcall has taken every step it can (the last plan's ${api.length}: done, or already in place). What is left waits for a person, or for the grace period.`);
  say(`Waiting for a person, ${manual.length} steps:`);
  for (const s of manual) say(`  - ${s.description.replace(/ \(by hand[^)]*\)$| by hand$/, '')}`);
  say(`Waiting for the grace period, 1 step: delete the exposed access key ${exposed} of user legacy-bot, deactivated moments ago.`);
  say(`  Plan again with --destructive after ${grace[2]}: if the key shows no use since its deactivation, the plan deletes it.`);
  say();
  say('The audit still exits 1: root MFA is off, and only the root user can turn it on; the exposed key is listed until');
  say("it is deleted. Each manual step is in the plan's plan.md, with its instructions; on a real account, record one done with:");
  say("rollcall apply plan.json --done 'STEP ID'");
  code = 0;
} catch (err) {
  say(`the demo went wrong: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  removeDir();
  await moto.stop();
}
process.exit(code);
