import type { StepReason, SupportCase } from '../model/plan.js';

/**
 * Exactly what a person must do for each manual step. No API can do these for
 * the caller, so the plan says them in full: the plan is the whole checklist.
 */
export const ROOT_INSTRUCTIONS = {
  manualRootPassword:
    'Sign in to https://console.aws.amazon.com/ as the root user (choose "Root user" and enter the account\'s email address). ' +
    'Open Security credentials and change the password to a new, long, unique one kept in a password manager. ' +
    'If the password no longer works, use "Forgot password?" to reset it through the account\'s email address. ' +
    'Then open Account and check that the email address, phone number and alternate contacts are still yours.',
  manualRootMfa:
    'Sign in to https://console.aws.amazon.com/ as the root user, open Security credentials, and under Multi-factor authentication (MFA) choose Assign MFA device. ' +
    'Register a hardware security key or an authenticator app, and keep it where more than one trusted person can reach it. ' +
    'Only the root user can do this: no API lets another identity enable root MFA.',
  manualRootAccessKeys:
    'Sign in to https://console.aws.amazon.com/ as the root user, open Security credentials, and under Access keys deactivate each key, then delete it. ' +
    'Before deleting, look up the key in CloudTrail: whatever it did since the incident began was the intruder. ' +
    'Only the root user can do this: no API lets another identity delete root access keys.',
} as const;

/** Where the text to send starts in the instructions of a format 1 plan's manualContactSupport step. */
export const SUPPORT_TEXT_HEADING = 'Text to send:';

const MAX_LISTED = 20;

/** What the person does with the text to send (which is made from the step's `support`). */
export function supportInstructions(): string {
  return (
    'Open a case in the AWS Support Center (https://console.aws.amazon.com/support/home, signed in to this account, or as the root user if no one else can sign in): ' +
    'choose "Account and billing", then "Security", and send the text below. Keep the case number with the incident notes.'
  );
}

/** The text to send to AWS Support, one line an element: a function of the step's structured `support` alone. */
export function supportText(c: SupportCase): string[] {
  const listed = c.findings.slice(0, MAX_LISTED).map((f) => `- ${oneLine(f.title)}: ${oneLine(f.subject)}`);
  if (c.findings.length > MAX_LISTED) listed.push(`- ... and ${c.findings.length - MAX_LISTED} more`);
  return [
    `Subject: Possible compromise of AWS account ${c.accountId}`,
    '',
    `We believe our AWS account ${c.accountId} has been compromised. An audit made at ${c.auditedAt} found:`,
    ...listed,
    '',
    'We are removing the unauthorised access now: deactivating exposed keys, quarantining unknown users and roles, and stopping unknown resources. Please:',
    '1. review the account for unauthorised activity and resources we may have missed, in every region;',
    '2. tell us whether any other account appears to be involved;',
    '3. review the charges caused by the unauthorised usage for a billing adjustment.',
    '',
    'Thank you.',
  ];
}

/** A format 1 plan's support instructions, and the text to send on its own (for a quote block). */
export function splitSupportText(instructions: string): { before: string; text?: string } {
  const at = instructions.indexOf(`\n${SUPPORT_TEXT_HEADING}\n`);
  if (at < 0) return { before: instructions };
  return { before: instructions.slice(0, at).trimEnd(), text: instructions.slice(at + SUPPORT_TEXT_HEADING.length + 2) };
}

/**
 * A key on the rotated key's user that cannot stand in for it (neither declared
 * for that user nor created by rollcall as its replacement, or exposed itself),
 * and that takes one of the two slots AWS allows a user.
 */
export interface Blocker {
  id: string;
  status: string;
  /**
   * `exposed`: listed under incident.exposedKeys. `stranger`: undeclared, and
   * not rollcall's replacement. `rotating`: such a key that this plan rotates
   * too (a hygiene rule asks it of a key the baseline does not declare either).
   * `counted`: a key of a user whose keys the baseline declares by count, not
   * by id: a rotation's new key or an intruder's, rollcall cannot tell, so it
   * neither switches to it nor deletes it.
   */
  kind: 'exposed' | 'stranger' | 'rotating' | 'counted';
}

/** What a plan can do about blockers: delete them first (--destructive, complete inventory), or not. */
export interface BlockerMode {
  destructive: boolean;
  complete: boolean;
}

/**
 * How the application gets off the key being rotated: a new key (once the
 * blockers `cleared` first are deleted), a key already there that the
 * baseline declares or that rollcall created as the replacement (`tagged`: its
 * user's tag says so), or none yet (`blocked`).
 */
export type SwitchCase =
  | { kind: 'new'; cleared?: Blocker[] }
  | { kind: 'existing'; other: string; status: string; tagged?: boolean }
  | { kind: 'blocked'; blockers: Blocker[]; mode: BlockerMode };

const listed = (ids: string[]) => (ids.length <= 1 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`);
const stepsOf = (action: string, bs: Blocker[]) => listed(bs.map((b) => `"${action} accessKey/${b.id}"`));

/** Why each blocker cannot be the replacement, one sentence each. */
function whyBlocked(user: string, key: string, bs: Blocker[]): string[] {
  return bs.map((b) => {
    const other = `User ${user}'s other access key, ${b.id} (${b.status}),`;
    if (b.kind === 'exposed') return `${other} is exposed too (listed under incident.exposedKeys), so it cannot be the replacement.`;
    if (b.kind === 'counted') return `${other} is not declared by id: the baseline declares user ${user}'s keys by count, so rollcall cannot tell a rotation's new key from an intruder's, and neither moves an application to it nor deletes it.`;
    const neither = `${other} is neither declared in the baseline nor the replacement rollcall created for ${key}`;
    if (b.kind === 'rotating') return `${neither}, and this plan rotates it too, so it cannot make room for a replacement.`;
    return (
      `${neither}: treat it as the intruder's, and move no application to it. ` +
      (b.status === 'Active' ? `This plan deactivates it (step "deactivateAccessKey accessKey/${b.id}").` : 'It is already inactive.')
    );
  });
}

/** What the responder does to unblock the rotation, one sentence each. */
function unblock(user: string, key: string, bs: Blocker[], mode: BlockerMode): string[] {
  const out: string[] = [];
  const strangers = bs.filter((b) => b.kind === 'stranger').map((b) => b.id);
  if (strangers.length > 0) {
    const them = listed(strangers);
    const byHand = `delete ${them} by hand (look ${strangers.length === 1 ? 'it' : 'them'} up in CloudTrail first: what ${strangers.length === 1 ? 'it' : 'they'} did since the incident began was the intruder)`;
    out.push(
      mode.destructive
        ? `The inventory is incomplete, so this plan deletes nothing, even with --destructive: ${byHand}, or plan again from a complete inventory.`
        : `Plan again with --destructive, which deletes ${them} before it creates the replacement, or ${byHand} and plan again.`,
      `If ${them} ${strangers.length === 1 ? 'is' : 'are'} yours after all, declare ${strangers.length === 1 ? 'it' : 'them'} in the baseline (under iam.users, name ${user}, accessKeys) and plan again.`,
    );
  }
  const counted = bs.filter((b) => b.kind === 'counted').map((b) => b.id);
  if (counted.length > 0) {
    const them = listed(counted);
    out.push(
      `If ${them} ${counted.length === 1 ? 'is' : 'are'} the new key of a rotation in progress, move the application to ${counted.length === 1 ? 'it' : 'them'} and delete ${key} by hand once nothing uses it; ` +
        `otherwise find who created ${them} (CloudTrail CreateAccessKey), deactivate and delete ${counted.length === 1 ? 'it' : 'them'} by hand, and plan again.`,
    );
  }
  const rotating = bs.filter((b) => b.kind === 'rotating').map((b) => b.id);
  if (rotating.length > 0) {
    out.push(`Decide which of ${key} and ${listed(rotating)} user ${user} keeps, declare it in the baseline (under iam.users, name ${user}, accessKeys), delete the other by hand, and plan again.`);
  }
  for (const b of bs.filter((x) => x.kind === 'exposed')) {
    out.push(
      b.status === 'Active'
        ? `Delete ${b.id} once nothing uses it, then plan again.`
        : `rollcall deletes ${b.id} once its grace period is over (see this plan's warnings about it), or delete it by hand; then plan again.`,
    );
  }
  return out;
}

/** The plan's warning for a rotation that no replacement can serve yet. */
export function blockedWarning(user: string, key: string, bs: Blocker[], mode: BlockerMode): string {
  return [
    `Access key ${key} of user ${user} cannot be rotated yet: AWS allows two access keys per user, a deactivated key still takes its slot, and the other one cannot be the replacement; this plan creates no replacement key.`,
    ...whyBlocked(user, key, bs),
    ...unblock(user, key, bs, mode),
  ].join(' ');
}

export function switchInstructions(user: string, key: string, c: SwitchCase): string {
  const declare = `declare the new key's id in the baseline (under iam.users, name ${user}, accessKeys) so the next audit does not report it`;
  const done = `Then mark this step done: the next step deactivates ${key}.`;
  if (c.kind === 'new') {
    const cleared = c.cleared ?? [];
    const strangers = cleared.filter((b) => b.kind !== 'exposed').map((b) => b.id);
    const it = strangers.length === 1 ? 'it' : 'them';
    const first =
      cleared.length === 0
        ? ''
        : `AWS allows two access keys per user, so apply first deletes ${listed(cleared.map((b) => `${b.kind === 'exposed' ? 'exposed access key' : 'access key'} ${b.id}`))} (step${cleared.length === 1 ? '' : 's'} ${stepsOf('deleteAccessKey', cleared)}). ` +
          (strangers.length === 0 ? '' : `Neither the baseline declares ${listed(strangers)} nor did rollcall create ${it} as the replacement for ${key}: treat ${it} as the intruder's, and move no application to ${it}. `);
    return (
      first +
      `Apply creates a new access key for user ${user} (step "createReplacementKey accessKey/new:${user}") and writes its id and secret to a new file (mode 0600) in its secrets directory; ` +
      `it prints the file's path, never the secret. Put the new key into every application, CI secret and configuration that uses access key ${key}, deploy, and check that each one works with the new key. ` +
      `Delete the secret file once the key is stored where it belongs, and ${declare}. ${done}`
    );
  }
  if (c.kind === 'blocked') {
    return [
      `rollcall cannot create a replacement for access key ${key} yet: AWS allows two access keys per user, and a deactivated key still takes its slot.`,
      ...whyBlocked(user, key, c.blockers),
      ...unblock(user, key, c.blockers, c.mode),
      `Leave this step pending until the applications that use ${key} have a key of yours to move to: marking it done lets the next step deactivate ${key}.`,
    ].join(' ');
  }
  if (c.status === 'Active' && c.tagged) {
    return (
      `User ${user} already has another access key, ${c.other} (Active), which an earlier apply created as the replacement for ${key} (user ${user}'s tag rollcall:replacement:${c.other} says so); its secret is in the file that apply wrote. ` +
      `If you hold no such file, ${c.other} is not yours: delete it by hand and plan again. ` +
      `Make sure every application, CI secret and configuration that used access key ${key} now uses ${c.other}, and ${declare.replace("the new key's id", `${c.other}`)}. ${done}`
    );
  }
  if (c.status === 'Active') {
    return (
      `User ${user} already has another access key, ${c.other} (Active): most likely the replacement an earlier apply created (its secret is in the file that apply wrote). ` +
      `Make sure every application, CI secret and configuration that used access key ${key} now uses ${c.other}, and ${declare.replace("the new key's id", `${c.other}`)}. ${done}`
    );
  }
  return (
    `User ${user} already has a second access key, ${c.other}, and it is ${c.status}; AWS allows two keys per user, so rollcall cannot create a replacement. ` +
    `If ${c.other} is yours, reactivate it; otherwise delete it and create a new key by hand. Put the working key into every application that uses access key ${key}, and ${declare}. ${done}`
  );
}

export function reviewInstructions(subject: string, reasons: StepReason[]): string {
  return [
    `Look at ${oneLine(subject)} and settle each finding by hand:`,
    ...reasons.map((r) => `- ${r.text}`),
    'Fix what is wrong. Where the account is as it should be, say so in the baseline: declare what you found, or add an exception with a reason and an expiry date.',
  ].join('\n');
}

/** Attacker-chosen names must not break the instructions' lines (a lone CR breaks a line too, in Markdown and on a terminal). */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
