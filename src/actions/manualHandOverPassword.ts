import { oneLine } from '../plan/instructions.js';
import { targetOf } from '../plan/targets.js';
import type { ActionDefinition, PlanHook } from './definition.js';

/** What the person does once apply has reset a user's console password (step resetLoginProfilePassword). */
export function handOverInstructions(user: string): string {
  const u = oneLine(user);
  return (
    `Apply sets a new random console password for user ${u} (step "resetLoginProfilePassword loginProfile/${u}"), which the user must change at the first sign-in, ` +
    `and writes it to a new file, ${u}.console-password (mode 0600), in its secrets directory; it prints the file's path, never the password. ` +
    `Hand the password to the user out of band: in person, by phone to a number you already had, or through your password manager's sharing; never by e-mail, chat or a ticket, which an intruder in the account may read. ` +
    `Tell the user to sign in, choose a new password and set up MFA, then mark this step done. ` +
    `Keep the file until an audit no longer reports the password (AWS may reuse a credential report for up to 4 hours, and one older than the reset still shows the old password's time): ` +
    `while the file is there, a new plan's reset finds it and changes nothing; then delete it.`
  );
}

/**
 * A password reset and its hand-over, whichever of the two kinds a rule
 * names: the reset step on the login profile, and this manual step after it.
 */
export const planPasswordReset: PlanHook = (p, v, r) => {
  if (r?.type !== 'iam.loginProfile') return p.review(v, r, p.cannot('resetLoginProfilePassword', v, r));
  const t = targetOf(r);
  const user = t.ref.user ?? r.id;
  // The password the plan saw: apply takes an earlier run's file for the reset only if that file is newer.
  const seen: Record<string, string> = typeof r.props.passwordLastChanged === 'string' ? { passwordLastChanged: r.props.passwordLastChanged } : {};
  const reset = p.add('resetLoginProfilePassword', { ...t, ref: { ...t.ref, ...seen } }, v, { props: r.props });
  p.add('manualHandOverPassword', t, v, { props: r.props, instructions: handOverInstructions(user), dependsOn: [reset] });
};

/** Handing a reset console password over to its user, out of band: by hand (planned with resetLoginProfilePassword only). */
export const manualHandOverPassword: ActionDefinition = {
  manual: true,
  reversible: false,
  destructive: false,
  targets: ['iam.loginProfile'],
  phase: 'manual',
  describe: (t) => `Hand the new console password of user ${t.ref.user} over out of band`,
  keep: ['user'],
  plan: planPasswordReset,
  instructions: handOverInstructions,
};
