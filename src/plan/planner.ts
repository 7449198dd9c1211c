import type { AddOptions, Planning, StepView } from '../actions/definition.js';
import { ACTIONS, definitionOf, planHookOf, targetsOf } from '../actions/registry.js';
import { DECLARATIONS } from '../engine/declarations.js';
import type { ActionKind, StepAction } from '../model/action.js';
import { declaredKeys, keyCountPolicy, type Baseline } from '../model/baseline.js';
import { incidentOpen } from '../model/aws-quarantine.js';
import { deactivatedTag, replacementTag } from '../model/iam-props.js';
import { digestOf } from '../model/digest.js';
import type { ForeignRoleSessions, HistorySession } from '../model/history.js';
import type { Inventory } from '../model/inventory.js';
import { PLAN_FORMAT, sealPlan, type Plan, type PlanStep, type PlanWarning, type Precondition, type StepReason, type StepTarget, type SupportCase, type WarningCode } from '../model/plan.js';
import { subjectOf, type Props, type Resource, type ResourceType } from '../model/resource.js';
import type { Violation } from '../model/violation.js';
import { describeStep, knownFacts, preconditionOf } from './describe.js';
import { blockedWarning, oneLine, reviewInstructions, supportInstructions, switchInstructions, type Blocker, type SwitchCase } from './instructions.js';
import { orderSteps, phaseOf } from './order.js';
import { callerNotes } from './caller.js';
import { newKeyTarget, rootTarget, targetOf, violationTarget } from './targets.js';

export interface PlanInput {
  inventory: Inventory;
  baseline: Baseline;
  violations: Violation[];
  now: Date;
  /** The tool version recorded in the plan. */
  version: string;
  /** --destructive: plan deletes and terminations too (never from an incomplete inventory). */
  destructive: boolean;
  /** With a timeline: the attacker's sessions obtained with root credentials (model/history.ts), which only their expiry ends. */
  rootSessions?: HistorySession[];
  /** With a timeline: the attacker's sessions of other accounts' roles, which only those accounts can revoke. */
  foreignRoleSessions?: ForeignRoleSessions[];
}

export interface PlanResult {
  plan: Plan;
  /** What the plan leaves out and why (a key still in its grace period, destructive steps not asked for): the texts of the plan's warnings. */
  warnings: string[];
}

/** Days an exposed key stays inactive and unused before a plan may delete it, unless the baseline says otherwise. */
export const DEFAULT_GRACE_DAYS = 7;
const DAY_MS = 86_400_000;

interface Draft {
  id: string;
  action: StepAction;
  target: StepTarget;
  description: string;
  because: Set<string>;
  dependsOn: Set<string>;
  precondition: Precondition;
  instructions?: string;
  /** The resource's props as the plan saw them (not part of the plan). */
  props: Props;
  /** For manual reviews: one line per reason, merged into the instructions. */
  reasons: StepReason[];
  support?: SupportCase;
}

/** A resource's identity as data: type, region and id (ids are unique within a type and region). */
const resourceKey = (type: ResourceType, region: string, id: string) => `${type}\u0000${region}\u0000${id}`;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Turns an audit's violations into a plan: pure, a function of its inputs.
 * Only open (`fail`, unsuppressed) violations plan anything. Each remediation
 * kind of a violation's rule becomes one step per (action, target), merged
 * across violations. Reversible steps are always planned; destructive ones
 * only with `destructive` and a complete inventory, each after the reversible
 * steps on its target. Exposed keys rotate across runs: replacement, switch,
 * deactivation, and deletion once the grace period since the deactivation has
 * passed and the key shows no use since.
 */
export function makePlan({ inventory, baseline, violations, now, version, destructive, rootSessions, foreignRoleSessions }: PlanInput): PlanResult {
  const complete = inventory.gaps.length === 0;
  const mayDestroy = destructive && complete;
  const createdAt = now.toISOString();
  const graceDays = baseline.incident?.graceDays ?? DEFAULT_GRACE_DAYS;
  const exposed = new Set(baseline.incident?.exposedKeys ?? []);

  const resources = new Map<string, Resource>();
  const keysOf = new Map<string, Resource[]>();
  for (const r of inventory.resources) {
    resources.set(resourceKey(r.type, r.region, r.id), r);
    if (r.type === 'iam.accessKey') keysOf.set(str(r.props.user), [...(keysOf.get(str(r.props.user)) ?? []), r]);
  }
  for (const keys of keysOf.values()) keys.sort((a, b) => byText(a.id, b.id));
  const root = resources.get(resourceKey('account.root', 'global', 'root'));
  const tagsOf = (user: string): Record<string, string> => resources.get(resourceKey('iam.user', 'global', user))?.tags ?? {};
  const keysById = new Set((baseline.iam?.users ?? []).flatMap((u) => declaredKeys(u).map((k) => `${u.name}\u0000${k.id}`)));
  const declaredFor = (key: Resource) => keysById.has(`${str(key.props.user)}\u0000${key.id}`);
  /** Users whose keys the baseline declares by count: none of their keys is trusted as a replacement, nor deleted to make room for one. */
  const countedUsers = new Set((baseline.iam?.users ?? []).filter((u) => keyCountPolicy(u) !== undefined).map((u) => u.name));
  const othersOf = (key: Resource) => (keysOf.get(str(key.props.user)) ?? []).filter((k) => k.id !== key.id);
  /**
   * Whether `other` may stand in for `key`, the key being rotated on the same
   * user: only if the baseline declares it for that user, or rollcall created
   * it as `key`'s replacement (the user's `rollcall:replacement:<other>` tag
   * names `key`). An exposed key never does. Any other key there is a
   * stranger, in an incident most likely the intruder's.
   */
  const replaces = (other: Resource, key: Resource) => !exposed.has(other.id) && (declaredFor(other) || tagsOf(str(key.props.user))[replacementTag(other.id)] === key.id);
  /** The key a rotation of `key` switches to: the user's trusted other key, an active one first. */
  const replacementOf = (key: Resource): Resource | undefined =>
    othersOf(key)
      .filter((o) => replaces(o, key))
      .sort((a, b) => Number(b.props.status === 'Active') - Number(a.props.status === 'Active'))[0];

  const open = violations
    .filter((v) => v.status === 'fail' && !v.suppressed)
    .sort((a, b) => byText(a.ruleId, b.ruleId) || byText(a.subject, b.subject) || byText(a.fingerprint, b.fingerprint));
  const resourceOf = (v: Violation) => resources.get(resourceKey(v.resourceType, v.region, v.resourceId));
  const rotating = open.filter((v) => v.remediation.includes('rotateAccessKey')).map(resourceOf);
  // A stranger on the user of a key being rotated (exposed, or declared) is contained, never rotated: a key of
  // ours is not switched to it, and it must not be switched to a new key either. A trusted replacement that
  // the baseline does not declare yet (found by rollcall's tag) is not deleted by the plan that names it.
  const strangers = new Set<string>();
  const namedOnlyByTag = new Map<string, Resource>();
  const activeKeys = rotating.filter((k): k is Resource => k?.type === 'iam.accessKey' && k.props.status === 'Active');
  for (const k of activeKeys) {
    if (exposed.has(k.id) || declaredFor(k)) for (const o of othersOf(k)) if (!exposed.has(o.id) && !replaces(o, k)) strangers.add(o.id);
  }
  for (const k of activeKeys) {
    const r = strangers.has(k.id) ? undefined : replacementOf(k);
    if (r && !declaredFor(r)) namedOnlyByTag.set(r.id, k);
  }
  const rotated = new Set(rotating.map((r) => r?.id).filter((id) => id === undefined || !strangers.has(id)));

  const drafts = new Map<string, Draft>();
  const warnings: PlanWarning[] = [];
  const warn = (code: WarningCode, text: string) => {
    if (!warnings.some((w) => w.text === text)) warnings.push({ code, text });
  };
  const leftOut = new Set<string>();
  const support: Violation[] = [];

  function add(action: StepAction, target: StepTarget, because: Violation | Violation[], o: AddOptions = {}): string {
    const id = `${action} ${target.subject}`;
    let d = drafts.get(id);
    if (!d) {
      d = {
        id,
        action,
        target,
        description: describeStep(action, target, o.props ?? {}),
        because: new Set(),
        dependsOn: new Set(),
        precondition: o.precondition ?? preconditionOf(action, o.props),
        ...(o.instructions !== undefined ? { instructions: o.instructions } : {}),
        props: o.props ?? {},
        reasons: [],
      };
      drafts.set(id, d);
    }
    for (const v of [because].flat()) d.because.add(v.fingerprint);
    for (const dep of o.dependsOn ?? []) d.dependsOn.add(dep);
    const reason = o.reason;
    if (reason !== undefined && !d.reasons.some((x) => x.text === reason.text)) d.reasons.push(reason);
    return id;
  }

  function review(v: Violation, r: Resource | undefined, note?: Omit<StepReason, 'rule'>): void {
    const target = r ? targetOf(r) : violationTarget(v);
    add('manualReview', target, v, { ...(r ? { props: r.props } : {}), reason: { code: 'finding', text: `${oneLine(v.title)}: ${oneLine(v.message)}`, rule: v.ruleId } });
    if (note) add('manualReview', target, v, { reason: { ...note, rule: v.ruleId } });
  }

  /** Why a remediation kind cannot act on a violation's resource, for the manual review that replaces it. */
  function cannot(kind: ActionKind, v: Violation, r: Resource | undefined): Omit<StepReason, 'rule'> {
    if (!r) return { code: 'not-in-inventory', text: `rollcall cannot ${kind}: ${v.subject} is not in the inventory` };
    const targets = targetsOf(kind);
    let text = `rollcall cannot ${kind} here: it acts on ${targets.join(', ')}, not on ${r.type}; do it by hand if it is needed`;
    const keys = r.type === 'iam.user' && targets.includes('iam.accessKey') ? (keysOf.get(r.id) ?? []) : [];
    if (keys.length > 0) text += ` (access keys of ${r.id}: ${keys.map((k) => `${k.id} ${str(k.props.status)}`).join(', ')})`;
    return { code: 'other-target-type', text };
  }

  /**
   * Replacement, then the switch by hand, then the deactivation that waits for
   * it. The replacement is the user's other key only when it may stand in for
   * this one (`replaces`). Any other key on the user is a stranger: it is
   * contained, and deleted (with --destructive and a complete inventory)
   * before a new key is created, since AWS allows two keys a user and a
   * deactivated key still takes its slot; an exposed one is deleted only once
   * its own deletion is due. Otherwise no replacement can be made: the plan
   * says so, and the switch step says what to do.
   */
  function rotate(v: Violation, key: Resource): void {
    if (key.props.status !== 'Active') return; // nothing uses it any more: only its deletion is left
    const user = str(key.props.user);
    const t = targetOf(key);
    const other = replacementOf(key);
    if (other) {
      const how: SwitchCase = { kind: 'existing', other: other.id, status: str(other.props.status), ...(declaredFor(other) ? {} : { tagged: true }) };
      if (other.props.status !== 'Active') {
        warn('second-key-inactive', `User ${user} already has two access keys (${key.id}, and ${other.id} ${str(other.props.status)}): rollcall cannot create a replacement for ${key.id}; the switch step says what to do by hand.`);
      }
      const sw = add('manualSwitchCredentials', { ...t, ref: { ...t.ref, replacement: other.id } }, v, { props: key.props, instructions: switchInstructions(user, key.id, how) });
      add('deactivateAccessKey', t, v, { props: key.props, dependsOn: [sw] });
      return;
    }
    const cleared: Blocker[] = [];
    const blocked: Blocker[] = [];
    const deletions: string[] = [];
    for (const o of othersOf(key)) {
      if (exposed.has(o.id)) {
        const b: Blocker = { id: o.id, status: str(o.props.status), kind: 'exposed' };
        // Its own rotation switches and deactivates it; its deletion waits for the grace period, as deleteRotated says.
        const due = o.props.status === 'Active' ? undefined : rotatedDeletion(o);
        for (const w of due?.warnings ?? []) warn(w.code, w.text);
        if (due?.precondition) {
          deletions.push(add('deleteAccessKey', targetOf(o), v, { props: o.props, precondition: due.precondition }));
          cleared.push(b);
        } else {
          if (due?.leftOut) leftOut.add(`deleteAccessKey ${subjectOf('iam.accessKey', o.id, 'global')}`);
          blocked.push(b);
        }
        continue;
      }
      if (countedUsers.has(user)) {
        // The baseline counts this user's keys instead of naming them: a rotation's new key and an intruder's look alike.
        blocked.push({ id: o.id, status: str(o.props.status), kind: 'counted' });
        continue;
      }
      if (o.props.status === 'Active' && rotated.has(o.id)) {
        // Neither key is declared, and a hygiene rule rotates both: rollcall cannot tell which one is kept.
        blocked.push({ id: o.id, status: str(o.props.status), kind: 'rotating' });
        continue;
      }
      const b: Blocker = { id: o.id, status: str(o.props.status), kind: 'stranger' };
      if (o.props.status === 'Active') add('deactivateAccessKey', targetOf(o), v, { props: o.props });
      if (mayDestroy) {
        deletions.push(add('deleteAccessKey', targetOf(o), v, { props: o.props }));
        cleared.push(b);
      } else {
        leftOut.add(`deleteAccessKey ${subjectOf('iam.accessKey', o.id, 'global')}`);
        blocked.push(b);
      }
    }
    if (blocked.length > 0) {
      const mode = { destructive, complete };
      warn('rotation-blocked', blockedWarning(user, key.id, blocked, mode));
      const sw = add('manualSwitchCredentials', { ...t, ref: { ...t.ref, blockedBy: blocked.map((b) => b.id).join(',') } }, v, {
        props: key.props,
        instructions: switchInstructions(user, key.id, { kind: 'blocked', blockers: blocked, mode }),
      });
      add('deactivateAccessKey', t, v, { props: key.props, dependsOn: [sw] });
      return;
    }
    const create = add('createReplacementKey', newKeyTarget(user), v, { precondition: { exists: false, props: {} }, dependsOn: deletions });
    const how: SwitchCase = cleared.length > 0 ? { kind: 'new', cleared } : { kind: 'new' };
    const sw = add('manualSwitchCredentials', { ...t, ref: { ...t.ref, replacement: `new:${user}` } }, v, {
      props: key.props,
      instructions: switchInstructions(user, key.id, how),
      dependsOn: [create],
    });
    add('deactivateAccessKey', t, v, { props: key.props, dependsOn: [sw] });
  }

  /**
   * Whether an exposed (or rotated) key may be deleted now: only once
   * inactive for the grace period and unused since it was deactivated, the
   * time rollcall's deactivation tagged its user with. A key deactivated
   * outside rollcall has no tag: then it must show no use for the grace
   * period. With --destructive and a complete inventory, the deletion's
   * precondition; `leftOut` when only the inventory's gaps stop it; and what
   * to tell the responder.
   */
  function rotatedDeletion(key: Resource): { warnings: PlanWarning[]; precondition?: Precondition; leftOut?: true } {
    const warnings: PlanWarning[] = [];
    const note = (code: WarningCode, text: string) => warnings.push({ code, text });
    const user = str(key.props.user);
    const what = `${exposed.has(key.id) ? 'Exposed access key' : 'Access key'} ${key.id} of user ${user}`;
    if (key.props.status === 'Active') {
      note('key-still-active', `${what} is still active: this plan switches its applications and deactivates it; delete it in a later plan, ${graceDays} days after its deactivation if it shows no use since.`);
      return { warnings };
    }
    const last = typeof key.props.lastUsedDate === 'string' ? key.props.lastUsedDate : null;
    const lastMs = last === null ? Number.NaN : Date.parse(last);
    const tag = deactivatedTag(key.id);
    const tagged = tagsOf(user)[tag];
    const deactivatedMs = tagged === undefined ? Number.NaN : Date.parse(tagged);
    const deactivatedAt = Number.isNaN(deactivatedMs) ? null : (tagged as string);
    if (deactivatedAt === null) {
      const why = tagged === undefined ? `user ${user} has no ${tag} tag` : `user ${user}'s ${tag} tag holds ${JSON.stringify(tagged)}, not a time`;
      note('deactivated-outside-rollcall', `${what} was deactivated outside rollcall (${why}): the deactivation time is unknown, so its grace period counts from its last use.`);
      if (!Number.isNaN(lastMs) && lastMs >= now.getTime() - graceDays * DAY_MS) {
        note('key-used-recently', `${what} is inactive but was used ${last}, within the ${graceDays}-day grace period: it is not deleted; plan again after ${new Date(lastMs + graceDays * DAY_MS).toISOString()}.`);
        return { warnings };
      }
    } else {
      if (!Number.isNaN(lastMs) && lastMs >= deactivatedMs) {
        note('key-used-recently', `${what} was used ${last}, after rollcall deactivated it (${deactivatedAt}): it is not deleted; find out what reactivated and used it.`);
        return { warnings };
      }
      const until = deactivatedMs + graceDays * DAY_MS;
      if (now.getTime() < until) {
        note('grace-period', `${what} was deactivated ${deactivatedAt}: it is not deleted during its ${graceDays}-day grace period until ${new Date(until).toISOString()}; plan again after that.`);
        return { warnings };
      }
    }
    if (!destructive) {
      note('deletion-needs-destructive', `${what} is inactive and unused for ${graceDays} days${deactivatedAt === null ? '' : ' since its deactivation'}: plan with --destructive to delete it.`);
      return { warnings };
    }
    if (!complete) return { warnings, leftOut: true };
    const facts = knownFacts({ user, status: str(key.props.status), lastUsedDate: last });
    return { warnings, precondition: { exists: true, props: { ...facts, deactivatedAt } } };
  }

  /** An exposed (or rotated) key is deleted only with --destructive, once its deletion is due (`rotatedDeletion`). */
  function deleteRotated(v: Violation, key: Resource): void {
    const due = rotatedDeletion(key);
    for (const w of due.warnings) warn(w.code, w.text);
    if (due.leftOut) leftOut.add(`deleteAccessKey ${subjectOf('iam.accessKey', key.id, 'global')}`);
    if (due.precondition) add('deleteAccessKey', targetOf(key), v, { props: key.props, precondition: due.precondition });
  }

  /** The generic path every kind without dedicated planning takes (see `Planning.standard`). */
  function standard(kind: StepAction, v: Violation, r: Resource | undefined, ref?: Record<string, string>): void {
    const def = definitionOf(kind);
    if (!r || !def.targets.includes(r.type)) return review(v, r, cannot(kind, v, r));
    if (def.destructive && !mayDestroy) {
      leftOut.add(`${kind} ${subjectOf(r.type, r.id, r.region)}`);
      return;
    }
    if (def.needed && !def.needed(r)) return; // nothing to do: already inactive, already stopped
    const t = targetOf(r);
    add(kind, ref ? { ...t, ref: { ...t.ref, ...ref } } : t, v, { props: r.props });
  }

  const declarations = new Map<ResourceType, ReturnType<(typeof DECLARATIONS)[ResourceType]>>();
  const planning: Planning = {
    standard,
    add,
    review,
    cannot,
    rotation(kind, v, r) {
      if (r?.type !== 'iam.accessKey') review(v, r, cannot(kind, v, r));
      else if (!strangers.has(r.id)) rotate(v, r); // a stranger is contained by the rotation it blocks
    },
    keyDeletion(v, r) {
      if (r?.type === 'iam.accessKey' && (exposed.has(r.id) || rotated.has(r.id))) return deleteRotated(v, r);
      const named = r?.type === 'iam.accessKey' ? namedOnlyByTag.get(r.id) : undefined;
      if (r && named) {
        const user = str(named.props.user);
        if (destructive) warn('replacement-undeclared', `Access key ${r.id} of user ${user}, which rollcall created as the replacement for ${named.id} (user ${user}'s ${replacementTag(r.id)} tag), is not declared in the baseline: this plan does not delete the key it switches to; declare it (under iam.users, name ${user}, accessKeys) and plan again, or delete it by hand if you hold no secret file for it.`);
        return;
      }
      standard('deleteAccessKey', v, r);
    },
    onRoot(kind, v, instructions) {
      add(kind, rootTarget(root, inventory.accountId), v, { ...(root ? { props: root.props } : {}), instructions });
    },
    reportToSupport(v) {
      support.push(v);
    },
    declared(r) {
      let d = declarations.get(r.type);
      if (!d) declarations.set(r.type, (d = DECLARATIONS[r.type](baseline, inventory.resources.filter((x) => x.type === r.type))));
      return d.match(r)?.data;
    },
    incidentOpen: incidentOpen(baseline.incident, now),
    createdAt,
  };

  for (const v of open) {
    const r = resourceOf(v);
    for (const kind of v.remediation) {
      const hook = planHookOf(kind);
      if (hook) hook(planning, v, r);
      else standard(kind as StepAction, v, r);
    }
  }

  // A compromise (any critical finding) is reported to AWS Support, with the text to send.
  const findings = [...new Set([...open.filter((v) => v.severity === 'critical'), ...support])];
  if (findings.length > 0) {
    const id = add('manualContactSupport', rootTarget(root, inventory.accountId), findings, {
      ...(root ? { props: root.props } : {}),
      instructions: supportInstructions(),
    });
    drafts.get(id)!.support = {
      accountId: inventory.accountId,
      auditedAt: createdAt,
      findings: findings.map((v) => ({ rule: v.ruleId, title: v.title, subject: v.subject })),
    };
  }

  addDependencies([...drafts.values()]);
  if (leftOut.size > 0) warnings.push({ code: 'steps-left-out', text: leftOutWarning([...leftOut].sort(byText), destructive, inventory.gaps.length) });
  const rootWarning = rootSessionsWarning(rootSessions ?? [], now);
  if (rootWarning) warn('root-sessions', rootWarning);
  for (const text of foreignSessionsWarnings(foreignRoleSessions ?? [], now)) warn('foreign-role-sessions', text);
  const unknown = violations.filter((v) => v.status === 'unknown' && !v.suppressed).length;
  if (unknown > 0) warn('checks-unknown', `${unknown} check${unknown === 1 ? '' : 's'} could not be made (the inventory is incomplete): nothing is planned for ${unknown === 1 ? 'it' : 'them'}.`);
  const keysOff = new Set([...drafts.values()].filter((d) => d.action === 'deactivateAccessKey' || d.action === 'deleteAccessKey').map((d) => d.target.id));
  for (const d of drafts.values()) {
    if (d.action === 'manualReview') d.instructions = reviewInstructions(d.target.subject, d.reasons);
    const replacement = d.action === 'manualSwitchCredentials' ? d.target.ref.replacement : undefined;
    if (replacement !== undefined && keysOff.has(replacement)) {
      warn('replacement-deactivated', `Access key ${replacement}, named as the replacement for ${d.target.id}, is also deactivated by this plan: if it is the replacement, declare it in the baseline and plan again.`);
    }
  }

  const ordered = orderSteps([...drafts.values()]);
  const position = new Map(ordered.map((d, i) => [d.id, i]));
  const steps: PlanStep[] = ordered.map((d) => ({
    id: d.id,
    action: d.action,
    target: d.target,
    description: d.description,
    because: [...d.because].sort(byText),
    dependsOn: [...d.dependsOn].sort((a, b) => position.get(a)! - position.get(b)!),
    precondition: d.precondition,
    reversible: ACTIONS[d.action].reversible,
    destructive: ACTIONS[d.action].destructive,
    ...(d.instructions !== undefined ? { instructions: d.instructions } : {}),
    ...(d.action === 'manualReview' ? { reasons: d.reasons } : {}),
    ...(d.support !== undefined ? { support: d.support } : {}),
  }));
  for (const text of callerNotes(inventory.caller, steps)) warnings.push({ code: 'acts-on-caller', text });

  const body: Omit<Plan, 'digest'> = {
    format: PLAN_FORMAT,
    tool: { name: 'rollcall', version },
    accountId: inventory.accountId,
    caller: inventory.caller,
    createdAt,
    inventoryDigest: digestOf(inventory),
    complete,
    destructive,
    steps,
    warnings: [...warnings],
  };
  return { plan: sealPlan(body), warnings: warnings.map((w) => w.text) };
}

/**
 * Destructive steps wait for the reversible steps on their target; and every
 * step waits for what its action's module says (`waitsFor`): what a deletion
 * tears down with its target (a user's keys, login profile, memberships and
 * policies; a role's or group's policies; a policy's attachments; a spot
 * instance's request). Manual checks block nothing.
 */
function addDependencies(drafts: Draft[]): void {
  for (const d of drafts) {
    const def = definitionOf(d.action);
    if (!def.destructive && !def.waitsFor) continue;
    for (const o of drafts) {
      if (o === d || phaseOf(o.action) === 'manual') continue;
      const sameTarget = def.destructive && o.target.subject === d.target.subject && !ACTIONS[o.action].destructive;
      if (sameTarget || def.waitsFor?.(view(d), view(o))) d.dependsOn.add(o.id);
    }
  }
}

const view = (d: Draft): StepView => ({ action: d.action, target: d.target, props: d.props, destructive: ACTIONS[d.action].destructive });

/**
 * Sessions obtained with the root user's credentials cannot be revoked: no
 * IAM policy binds the root user. AWS caps them at one hour (GetSessionToken,
 * GetFederationToken); the warning says which are still live and when the
 * last one ends. A session whose end is unknown counts as live.
 */
function rootSessionsWarning(sessions: readonly HistorySession[], now: Date): string | undefined {
  const live = sessions.filter((s) => s.expiration === undefined || Date.parse(s.expiration) > now.getTime());
  if (live.length === 0) return undefined;
  const ends = live.map((s) => s.expiration).filter((e): e is string => e !== undefined).sort();
  const last = ends.length === live.length ? `; the last ends ${ends.at(-1)}` : '; the end of some is unknown';
  const ids = live.map((s) => `${s.accessKeyId} (${s.how}, ${s.time})`).join(', ');
  return `${live.length} session(s) obtained with the root user's credentials and traced to the exposed keys are still live: ${ids}. Nothing in this plan ends them and nothing can: no IAM policy binds the root user, so only their expiry does (AWS allows root sessions one hour at most)${last}. Secure the root user now (the root steps: password, MFA, access keys) so that no new one can be obtained, and watch CloudTrail for their use until then.`;
}

/**
 * The attacker assumed roles of other accounts (AssumeRole across accounts):
 * this account's plan cannot revoke those sessions, only a revocation in the
 * role's own account does. One warning per role whose sessions may be live
 * (an end the record does not say counts as live).
 */
function foreignSessionsWarnings(roles: readonly ForeignRoleSessions[], now: Date): string[] {
  return roles.flatMap((f) => {
    const live = f.sessions.filter((s) => s.expiration === undefined || Date.parse(s.expiration) > now.getTime());
    if (live.length === 0) return [];
    const ids = live.map((s) => `${s.accessKeyId} (${s.time})`).join(', ');
    return [`The attacker assumed role ${f.roleArn} of account ${f.accountId}, which this plan cannot reach: ${live.length} session(s) may still be live (${ids}). Revoke that role's sessions in account ${f.accountId} (audit and plan it there with rollcall, or the console's "Revoke active sessions"), and review what the role can do there.`];
  });
}

function leftOutWarning(steps: string[], destructive: boolean, gaps: number): string {
  const listed = steps.length > 10 ? `${steps.slice(0, 10).join(', ')} and ${steps.length - 10} more` : steps.join(', ');
  const n = `${steps.length} destructive step${steps.length === 1 ? '' : 's'}`;
  return destructive
    ? `The inventory is incomplete (${gaps} gap${gaps === 1 ? '' : 's'}): ${n} left out, even with --destructive: ${listed}.`
    : `Reversible first: ${n} not planned (${listed}); plan with --destructive to include ${steps.length === 1 ? 'it' : 'them'}.`;
}
