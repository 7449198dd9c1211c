/**
 * Rotation never trusts a stranger's key: a key on a rotated key's user is its
 * replacement only when the baseline declares it or rollcall created it as the
 * replacement (the user's `rollcall:replacement:<new>` tag names the pair).
 * Any other key there is contained and, with --destructive, deleted before the
 * replacement is created (AWS allows two keys a user); otherwise the plan says
 * the rotation is blocked and what to do.
 */
import { describe, expect, it } from 'vitest';
import type { Plan, PlanStep } from '../../../src/model/plan.js';
import type { Resource } from '../../../src/model/resource.js';
import { replacementTag } from '../../../src/model/iam-props.js';
import { declaredKeys } from '../../../src/model/baseline.js';
import { accessKey, attachment, daysAgo, membership, user } from '../../helpers/resources.js';
import { ADMIN, EXPOSED, ci, declaring, incidentBaseline, planFor, expectTopological, ids, pos, step } from './fixtures.js';

const STRANGER = 'AKIASTRANGER00000001';
const OTHER_EXPOSED = 'AKIAEXPOSED000000002';
const R = 'AKIAREPLACEMENT00001';



/** No switch step ever points at a key the plan deactivates or deletes, nor at the stranger. */
function expectNoTrustedStranger(plan: Plan, warnings: string[], stranger = STRANGER): void {
  for (const s of plan.steps.filter((x) => x.action === 'manualSwitchCredentials')) {
    expect(s.target.ref.replacement, s.id).not.toBe(stranger);
    expect(s.description).not.toContain(`replacement key ${stranger}`);
  }
  expect(warnings.join('\n')).not.toContain('named as the replacement');
}

const SWITCH = `manualSwitchCredentials accessKey/${EXPOSED}`;
const DEACTIVATE = `deactivateAccessKey accessKey/${EXPOSED}`;
const CREATE = 'createReplacementKey accessKey/new:legacy-bot';
const SUPPORT = 'manualContactSupport root/root';
const deactivate = (id: string) => `deactivateAccessKey accessKey/${id}`;
const del = (id: string) => `deleteAccessKey accessKey/${id}`;

const withTags = (r: Resource, tags: Record<string, string>): Resource => ({ ...r, tags });
const legacy = (tags: Record<string, string>, ...keys: Resource[]) => [withTags(user('legacy-bot'), tags), accessKey(EXPOSED, 'legacy-bot', { lastUsedDate: daysAgo(0) }), ...keys];
const opts = (destructive: boolean, extra: Record<string, unknown> = {}) => ({ destructive, baseline: declaring('legacy-bot'), ...extra });
const fingerprint = (violations: { ruleId: string; subject: string; fingerprint: string }[], ruleId: string, subject: string) => {
  const v = violations.find((x) => x.ruleId === ruleId && x.subject === subject);
  if (!v) throw new Error(`no ${ruleId} on ${subject}`);
  return v.fingerprint;
};

describe('rotation: an undeclared key on the exposed key\'s user is a stranger', () => {
  it('without --destructive: contained, no replacement, the switch names no key and says the stranger blocks the rotation and what to do', () => {
    const { plan, warnings, violations } = planFor(legacy({}, accessKey(STRANGER, 'legacy-bot')), opts(false));
    expect(ids(plan)).toEqual([SWITCH, DEACTIVATE, deactivate(STRANGER), SUPPORT]);
    expect(ids(plan)).not.toContain(CREATE);
    expectTopological(plan);
    expectNoTrustedStranger(plan, warnings);

    const sw = step(plan, SWITCH);
    expect(sw.target.ref).toEqual({ user: 'legacy-bot', blockedBy: STRANGER });
    expect(sw.dependsOn).toEqual([]);
    expect(sw.description).toBe(`Switch every application that uses access key ${EXPOSED} (user legacy-bot) to a replacement key: none can be made while access key ${STRANGER} takes its slot`);
    expect(sw.instructions).toContain(`rollcall cannot create a replacement for access key ${EXPOSED} yet: AWS allows two access keys per user, and a deactivated key still takes its slot.`);
    expect(sw.instructions).toContain(`is neither declared in the baseline nor the replacement rollcall created for ${EXPOSED}: treat it as the intruder's, and move no application to it.`);
    expect(sw.instructions).toContain(`Plan again with --destructive, which deletes ${STRANGER} before it creates the replacement, or delete ${STRANGER} by hand`);
    expect(step(plan, DEACTIVATE).dependsOn).toEqual([SWITCH]);

    // One containment step for the stranger, answering both findings: it is undeclared, and it blocks the rotation.
    expect(plan.steps.filter((s) => s.target.id === STRANGER).map((s) => s.id)).toEqual([deactivate(STRANGER)]);
    expect(step(plan, deactivate(STRANGER)).because).toEqual(
      [fingerprint(violations, 'iam-access-key-undeclared', `accessKey/${STRANGER}`), fingerprint(violations, 'iam-exposed-key-active', `accessKey/${EXPOSED}`)].sort(),
    );

    expect(warnings).toEqual([
      `Access key ${EXPOSED} of user legacy-bot cannot be rotated yet: AWS allows two access keys per user, a deactivated key still takes its slot, and the other one cannot be the replacement; this plan creates no replacement key. ` +
        `User legacy-bot's other access key, ${STRANGER} (Active), is neither declared in the baseline nor the replacement rollcall created for ${EXPOSED}: treat it as the intruder's, and move no application to it. ` +
        `This plan deactivates it (step "deactivateAccessKey accessKey/${STRANGER}"). ` +
        `Plan again with --destructive, which deletes ${STRANGER} before it creates the replacement, or delete ${STRANGER} by hand (look it up in CloudTrail first: what it did since the incident began was the intruder) and plan again. ` +
        `If ${STRANGER} is yours after all, declare it in the baseline (under iam.users, name legacy-bot, accessKeys) and plan again.`,
      `Exposed access key ${EXPOSED} of user legacy-bot is still active: this plan switches its applications and deactivates it; delete it in a later plan, 7 days after its deactivation if it shows no use since.`,
      `Reversible first: 1 destructive step not planned (deleteAccessKey accessKey/${STRANGER}); plan with --destructive to include it.`,
    ]);
  });

  it('with --destructive: contained, deleted, then the replacement, the switch and the exposed key\'s deactivation, in that order', () => {
    const { plan, warnings, violations } = planFor(legacy({}, accessKey(STRANGER, 'legacy-bot')), opts(true));
    expect(ids(plan)).toEqual([deactivate(STRANGER), del(STRANGER), CREATE, SWITCH, DEACTIVATE, SUPPORT]);
    expectTopological(plan);
    expectNoTrustedStranger(plan, warnings);
    expect(step(plan, del(STRANGER)).dependsOn).toEqual([deactivate(STRANGER)]);
    expect(step(plan, CREATE).dependsOn).toEqual([del(STRANGER)]);
    expect(step(plan, SWITCH).dependsOn).toEqual([CREATE]);
    expect(step(plan, DEACTIVATE).dependsOn).toEqual([SWITCH]);
    expect(step(plan, SWITCH).target.ref).toEqual({ user: 'legacy-bot', replacement: 'new:legacy-bot' });
    expect(step(plan, SWITCH).instructions).toMatch(
      new RegExp(`^AWS allows two access keys per user, so apply first deletes access key ${STRANGER} \\(step "deleteAccessKey accessKey/${STRANGER}"\\)\\. Neither the baseline declares ${STRANGER} nor did rollcall create it as the replacement for ${EXPOSED}: treat it as the intruder's, and move no application to it\\. Apply creates a new access key for user legacy-bot`),
    );
    const both = [fingerprint(violations, 'iam-access-key-undeclared', `accessKey/${STRANGER}`), fingerprint(violations, 'iam-exposed-key-active', `accessKey/${EXPOSED}`)].sort();
    expect(step(plan, deactivate(STRANGER)).because).toEqual(both);
    expect(step(plan, del(STRANGER)).because).toEqual(both);
    expect(step(plan, del(STRANGER)).precondition).toEqual({ exists: true, props: { user: 'legacy-bot' } });
    expect(warnings).toEqual([
      `Exposed access key ${EXPOSED} of user legacy-bot is still active: this plan switches its applications and deactivates it; delete it in a later plan, 7 days after its deactivation if it shows no use since.`,
    ]);
  });

  it('a stranger already inactive: no deactivation; deleted first with --destructive, else it blocks', () => {
    const off = accessKey(STRANGER, 'legacy-bot', { status: 'Inactive' });
    const destroyed = planFor(legacy({}, off), opts(true));
    expect(ids(destroyed.plan)).toEqual([del(STRANGER), CREATE, SWITCH, DEACTIVATE, SUPPORT]);
    expect(step(destroyed.plan, CREATE).dependsOn).toEqual([del(STRANGER)]);
    expectTopological(destroyed.plan);

    const kept = planFor(legacy({}, off), opts(false));
    expect(ids(kept.plan)).toEqual([SWITCH, DEACTIVATE, SUPPORT]);
    expect(step(kept.plan, SWITCH).instructions).toContain(`${STRANGER} (Inactive), is neither declared in the baseline nor the replacement rollcall created for ${EXPOSED}: treat it as the intruder's, and move no application to it. It is already inactive.`);
    expect(kept.warnings[0]).toContain('It is already inactive. Plan again with --destructive');
    expectNoTrustedStranger(kept.plan, kept.warnings);
  });

  it('--destructive from an incomplete inventory: contained, not deleted, and the plan says why it is blocked', () => {
    const gap = { type: 'ec2.instance' as const, region: 'ap-south-1', operation: 'ec2:DescribeInstances', code: 'AccessDenied', message: 'no' };
    const { plan, warnings } = planFor(legacy({}, accessKey(STRANGER, 'legacy-bot')), opts(true, { gaps: [gap] }));
    expect(ids(plan)).toEqual([SWITCH, DEACTIVATE, deactivate(STRANGER), SUPPORT]);
    expect(step(plan, SWITCH).instructions).toContain(`The inventory is incomplete, so this plan deletes nothing, even with --destructive: delete ${STRANGER} by hand`);
    expect(warnings[0]).toContain('The inventory is incomplete, so this plan deletes nothing');
    expect(warnings.join('\n')).toContain(`left out, even with --destructive: deleteAccessKey accessKey/${STRANGER}`);
  });

  it('a key declared for another user, or a tag naming another key, does not make a stranger the replacement', () => {
    const b = declaring('legacy-bot', 'ci');
    declaredKeys(b.iam!.users!.find((u) => u.name === 'ci')!).push({ id: STRANGER });
    const resources = [
      ...legacy({ [replacementTag(STRANGER)]: 'AKIASOMEOTHERKEY0001' }, accessKey(STRANGER, 'legacy-bot')),
      user('ci'),
      accessKey('AKIACI00000000000001', 'ci'),
      membership('ci', 'deployers'),
      attachment('user', 'ci', ADMIN),
    ];
    const { plan, warnings } = planFor(resources, { destructive: false, baseline: b });
    expect(step(plan, SWITCH).target.ref).toEqual({ user: 'legacy-bot', blockedBy: STRANGER });
    expect(ids(plan)).toContain(deactivate(STRANGER));
    expectNoTrustedStranger(plan, warnings);
  });
});

describe('rotation: a trusted replacement', () => {
  it('declared in the baseline: switched to, not contained, no new key (as before)', () => {
    const b = declaring('legacy-bot');
    declaredKeys(b.iam!.users![0]!).push({ id: R });
    const { plan } = planFor(legacy({}, accessKey(R, 'legacy-bot')), { destructive: true, baseline: b });
    expect(ids(plan)).toEqual([SWITCH, DEACTIVATE, SUPPORT]);
    expect(step(plan, SWITCH).target.ref).toEqual({ user: 'legacy-bot', replacement: R });
  });

  it("created by rollcall (the user's tag names the pair): switched to, no new key; still undeclared, so contained, never deleted by the plan that names it", () => {
    const tags = { [replacementTag(R)]: EXPOSED };
    const kept = planFor(legacy(tags, accessKey(R, 'legacy-bot')), opts(false));
    expect(ids(kept.plan)).toEqual([SWITCH, DEACTIVATE, deactivate(R), SUPPORT]);
    const sw = step(kept.plan, SWITCH);
    expect(sw.target.ref).toEqual({ user: 'legacy-bot', replacement: R });
    expect(sw.description).toBe(`Switch every application that uses access key ${EXPOSED} (user legacy-bot) to the replacement key ${R}`);
    expect(sw.instructions).toContain(`which an earlier apply created as the replacement for ${EXPOSED} (user legacy-bot's tag rollcall:replacement:${R} says so)`);
    expect(sw.instructions).toContain(`If you hold no such file, ${R} is not yours: delete it by hand and plan again.`);
    expect(kept.warnings).toContain(
      `Access key ${R}, named as the replacement for ${EXPOSED}, is also deactivated by this plan: if it is the replacement, declare it in the baseline and plan again.`,
    );
    expect(kept.warnings.join('\n')).not.toContain(`deleteAccessKey accessKey/${R}`); // not even as a step left out

    const destroyed = planFor(legacy(tags, accessKey(R, 'legacy-bot')), opts(true));
    expect(ids(destroyed.plan)).toEqual([SWITCH, DEACTIVATE, deactivate(R), SUPPORT]);
    expect(destroyed.warnings.join('\n')).toContain(`this plan does not delete the key it switches to; declare it (under iam.users, name legacy-bot, accessKeys) and plan again`);

    // Declared as well: nothing to contain.
    const b = declaring('legacy-bot');
    declaredKeys(b.iam!.users![0]!).push({ id: R });
    expect(ids(planFor(legacy(tags, accessKey(R, 'legacy-bot')), { destructive: true, baseline: b }).plan)).toEqual([SWITCH, DEACTIVATE, SUPPORT]);
  });
});

describe('rotation: two exposed keys on one user', () => {
  const both = (second: Resource, tags: Record<string, string> = {}) => {
    const b = declaring('legacy-bot');
    declaredKeys(b.iam!.users![0]!).push({ id: OTHER_EXPOSED });
    b.incident = { ...b.incident, exposedKeys: [EXPOSED, OTHER_EXPOSED] };
    return { resources: legacy(tags, second), baseline: b };
  };

  it('both active: neither is the other\'s replacement; both rotations are blocked, nothing is created', () => {
    const { resources, baseline } = both(accessKey(OTHER_EXPOSED, 'legacy-bot'));
    const { plan, warnings } = planFor(resources, { destructive: true, baseline });
    expect(ids(plan)).toEqual([SWITCH, `manualSwitchCredentials accessKey/${OTHER_EXPOSED}`, DEACTIVATE, deactivate(OTHER_EXPOSED), SUPPORT]);
    expectTopological(plan);
    expect(step(plan, SWITCH).target.ref).toEqual({ user: 'legacy-bot', blockedBy: OTHER_EXPOSED });
    expect(step(plan, `manualSwitchCredentials accessKey/${OTHER_EXPOSED}`).target.ref).toEqual({ user: 'legacy-bot', blockedBy: EXPOSED });
    expect(step(plan, SWITCH).instructions).toContain(`${OTHER_EXPOSED} (Active), is exposed too (listed under incident.exposedKeys), so it cannot be the replacement. Delete ${OTHER_EXPOSED} once nothing uses it, then plan again.`);
    expect(step(plan, deactivate(OTHER_EXPOSED)).dependsOn).toEqual([`manualSwitchCredentials accessKey/${OTHER_EXPOSED}`]);
    expect(warnings.filter((w) => w.includes('cannot be rotated yet'))).toHaveLength(2);
    expect(warnings.join('\n')).not.toContain('named as the replacement');
  });

  it('the other one inactive and due for deletion: with --destructive it is deleted first, then the replacement', () => {
    const { resources, baseline } = both(accessKey(OTHER_EXPOSED, 'legacy-bot', { status: 'Inactive' }), { [`rollcall:deactivated:${OTHER_EXPOSED}`]: daysAgo(10) });
    const { plan } = planFor(resources, { destructive: true, baseline });
    expect(ids(plan)).toEqual([del(OTHER_EXPOSED), CREATE, SWITCH, DEACTIVATE, SUPPORT]);
    expect(step(plan, CREATE).dependsOn).toEqual([del(OTHER_EXPOSED)]);
    expect(step(plan, del(OTHER_EXPOSED)).precondition).toEqual({ exists: true, props: { user: 'legacy-bot', status: 'Inactive', lastUsedDate: null, deactivatedAt: daysAgo(10) } });
    expect(step(plan, SWITCH).instructions).toMatch(new RegExp(`^AWS allows two access keys per user, so apply first deletes exposed access key ${OTHER_EXPOSED} \\(step "deleteAccessKey accessKey/${OTHER_EXPOSED}"\\)\\. Apply creates`));
  });

  it('the other one inactive, in its grace period: blocked, and the plan says when it can go', () => {
    const { resources, baseline } = both(accessKey(OTHER_EXPOSED, 'legacy-bot', { status: 'Inactive' }), { [`rollcall:deactivated:${OTHER_EXPOSED}`]: daysAgo(2) });
    const { plan, warnings } = planFor(resources, { destructive: true, baseline });
    expect(ids(plan)).toEqual([SWITCH, DEACTIVATE, SUPPORT]);
    expect(step(plan, SWITCH).target.ref).toEqual({ user: 'legacy-bot', blockedBy: OTHER_EXPOSED });
    expect(step(plan, SWITCH).instructions).toContain(`rollcall deletes ${OTHER_EXPOSED} once its grace period is over`);
    expect(warnings.join('\n')).toContain(`Exposed access key ${OTHER_EXPOSED} of user legacy-bot was deactivated ${daysAgo(2)}: it is not deleted during its 7-day grace period`);
  });
});

describe('rotation asked by a hygiene rule', () => {
  it('a declared key too old, and a stranger on its user: the stranger is contained, never rotated nor switched to', () => {
    const b = { ...declaring('ci'), incident: {} };
    const stranger = accessKey(STRANGER, 'ci', { createDate: daysAgo(400) }); // too old itself: still not rotated
    const { plan, warnings } = planFor(
      [user('ci'), accessKey('AKIACI00000000000001', 'ci', { createDate: daysAgo(400) }), stranger, membership('ci', 'deployers'), attachment('user', 'ci', ADMIN)],
      { baseline: b, destructive: true },
    );
    expect(ids(plan)).toEqual([
      deactivate(STRANGER),
      del(STRANGER),
      'createReplacementKey accessKey/new:ci',
      'manualSwitchCredentials accessKey/AKIACI00000000000001',
      'deactivateAccessKey accessKey/AKIACI00000000000001',
    ]);
    expectTopological(plan);
    expectNoTrustedStranger(plan, warnings);
  });

  it('two undeclared keys, both too old, on an undeclared user: neither is deleted for the other (no cycle), both rotations are blocked', () => {
    const b = { ...declaring('ci'), incident: {} };
    const old = { createDate: daysAgo(400) };
    const K1 = 'AKIASVC0000000000001';
    const K2 = 'AKIASVC0000000000002';
    for (const destructive of [false, true]) {
      const { plan, warnings } = planFor([user('svc'), accessKey(K1, 'svc', old), accessKey(K2, 'svc', old), ...ci()], { baseline: b, destructive });
      expectTopological(plan);
      expect(plan.steps.some((s) => s.action === 'createReplacementKey')).toBe(false);
      expect(step(plan, `manualSwitchCredentials accessKey/${K1}`).target.ref).toEqual({ user: 'svc', blockedBy: K2 });
      expect(step(plan, `manualSwitchCredentials accessKey/${K2}`).target.ref).toEqual({ user: 'svc', blockedBy: K1 });
      expect(step(plan, `manualSwitchCredentials accessKey/${K1}`).instructions).toContain(
        `${K2} (Active), is neither declared in the baseline nor the replacement rollcall created for ${K1}, and this plan rotates it too, so it cannot make room for a replacement. Decide which of ${K1} and ${K2} user svc keeps`,
      );
      expect(step(plan, deactivate(K1)).dependsOn).toEqual([`manualSwitchCredentials accessKey/${K1}`]);
      expect(warnings.filter((w) => w.includes('cannot be rotated yet'))).toHaveLength(2);
    }
  });

  it('inputs without a stranger plan exactly as before: the incident baseline\'s compromise is unchanged by the trust rule', () => {
    // The compromise's ci user holds an undeclared second key, but nothing rotates on ci: it is only contained.
    const b = incidentBaseline();
    const { plan } = planFor([user('ci'), accessKey('AKIACI00000000000001', 'ci'), accessKey(STRANGER, 'ci')], { baseline: b });
    expect(ids(plan).filter((id) => id.includes(STRANGER))).toEqual([deactivate(STRANGER)]);
    expect(plan.steps.some((s) => s.action === 'createReplacementKey' || s.action === 'manualSwitchCredentials')).toBe(false);
  });
});

describe('rotation: every combination of two keys on one user', () => {
  interface Shape {
    exposed: boolean;
    declared: boolean;
    active: boolean;
    old: boolean;
    /** The user's tag names this key as rollcall's replacement for the other one. */
    tagged: boolean;
  }
  const shapes: Shape[] = [];
  for (let i = 0; i < 32; i++) shapes.push({ exposed: !!(i & 1), declared: !!(i & 2), active: !!(i & 4), old: !!(i & 8), tagged: !!(i & 16) });
  const IDS = ['AKIAUSER000000000001', 'AKIAUSER000000000002'] as const;
  const gap = { type: 'ec2.instance' as const, region: 'ap-south-1', operation: 'ec2:DescribeInstances', code: 'AccessDenied', message: 'no' };
  const modes = [
    { destructive: false, gaps: [] },
    { destructive: true, gaps: [] },
    { destructive: true, gaps: [gap] },
  ];

  it('never a cycle; a switch names only a key that may stand in; a new key waits for the deletion of every other key; a stranger is never named', () => {
    let planned = 0;
    for (const a of shapes) {
      for (const b of shapes) {
        const pair = [a, b] as const;
        const tags: Record<string, string> = { [`rollcall:deactivated:${IDS[0]}`]: daysAgo(10), [`rollcall:deactivated:${IDS[1]}`]: daysAgo(10) };
        pair.forEach((s, i) => {
          if (s.tagged) tags[replacementTag(IDS[i]!)] = IDS[1 - i]!;
        });
        const resources = [
          withTags(user('u'), tags),
          ...pair.map((s, i) => accessKey(IDS[i]!, 'u', { status: s.active ? 'Active' : 'Inactive', createDate: daysAgo(s.old ? 400 : 10) })),
          ...ci(),
        ];
        const base = declaring('ci');
        base.iam!.users!.push({ name: 'u', accessKeys: IDS.filter((_, i) => pair[i]!.declared).map((id) => ({ id })) });
        base.incident = { exposedKeys: IDS.filter((_, i) => pair[i]!.exposed), since: daysAgo(20) };
        for (const mode of modes) {
          const label = `${JSON.stringify(pair)} ${JSON.stringify(mode)}`;
          let result: ReturnType<typeof planFor>;
          try {
            result = planFor(resources, { ...mode, baseline: base });
          } catch (err) {
            throw new Error(`${label}: ${(err as Error).message}`);
          }
          const { plan, warnings } = result;
          planned++;
          expectTopological(plan);
          const trusted = (i: number) => !pair[i]!.exposed && (pair[i]!.declared || pair[i]!.tagged);
          for (const sw of plan.steps.filter((s) => s.action === 'manualSwitchCredentials')) {
            const me = IDS.indexOf(sw.target.id as (typeof IDS)[number]);
            const other = 1 - me;
            const replacement = sw.target.ref.replacement;
            if (replacement === undefined) {
              expect(sw.target.ref.blockedBy, label).toBe(IDS[other]);
              continue;
            }
            if (replacement === 'new:u') {
              // Room was made first: the other key, if any, is deleted before the new key is created.
              expect(step(plan, 'createReplacementKey accessKey/new:u').dependsOn, label).toEqual([del(IDS[other]!)]);
              expect(trusted(other), label).toBe(false);
              continue;
            }
            expect(replacement, label).toBe(IDS[other]);
            expect(trusted(other), label).toBe(true);
            expect(ids(plan), label).not.toContain(del(IDS[other]!));
          }
          // A stranger beside a key of ours being rotated is contained, and never rotated itself.
          pair.forEach((k, i) => {
            const o = pair[1 - i]!;
            const ours = k.active && (k.exposed || k.old) && (k.exposed || k.declared);
            if (!ours || trusted(1 - i) || o.exposed) return;
            if (o.active) expect(ids(plan), label).toContain(deactivate(IDS[1 - i]!));
            expect(ids(plan), label).not.toContain(`manualSwitchCredentials accessKey/${IDS[1 - i]}`);
          });
          const named = warnings.filter((w) => w.includes('named as the replacement'));
          for (const w of named) {
            const i = IDS.findIndex((id) => w.startsWith(`Access key ${id},`));
            // Only a key that may stand in is ever named: one the baseline declares, or rollcall's tagged replacement.
            expect(trusted(i), label).toBe(true);
          }
        }
      }
    }
    expect(planned).toBe(32 * 32 * 3);
  });
});
