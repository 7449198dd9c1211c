import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { GetAccountPasswordPolicyCommand, UpdateLoginProfileCommand, type IAMClient } from '@aws-sdk/client-iam';
import { errorCode } from '../../answers/error-info.js';
import type { PlanStep } from '../../model/plan.js';
import type { ExecContext, Executor, StepOutcome } from '../executor.js';
import { changed, unlessGone } from '../iam/errors.js';
import { observeLoginProfile } from '../iam/observe.js';
import { userOf } from '../iam/target.js';
import { randomPassword } from '../random-password.js';
import { claimSecretFile } from '../secret-file.js';

/** Where a user's new console password goes: one file per user, so a rerun finds it. */
export function passwordFile(secretsDir: string, user: string): string {
  return path.join(secretsDir, `${user}.console-password`);
}

const SET_AT_LINE = /^set_at\s*=\s*(\S+)\s*$/m;
const PASSWORD_LINE = /^password = \S+$/m;

function passwordText(user: string, password: string, now: Date): string {
  return [
    `# rollcall: a new console password for IAM user ${user}, set ${now.toISOString()}.`,
    '# The user must change it at the first sign-in. Hand it to the user out of band (in person, by phone,',
    '# or through a password manager\'s share; never by e-mail or chat), then delete this file.',
    `user = ${user}`,
    `set_at = ${now.toISOString()}`,
    `password = ${password}`,
    '',
  ].join('\n');
}

/** The minimum length the account's password policy asks, if it has one. */
async function policyMinimum(iam: IAMClient): Promise<number> {
  const got = await unlessGone(iam.send(new GetAccountPasswordPolicyCommand({})));
  return got?.PasswordPolicy?.MinimumPasswordLength ?? 0;
}

/**
 * A file an earlier run left: it stands for this step when it is complete
 * and newer than the password the plan saw (the credential report, reused
 * by AWS for up to 4 hours, may not know of that run's reset yet).
 * Otherwise it is from an older reset, and nobody can tell whether the
 * password in it still works: apply stops and says what to do.
 */
function earlier(step: PlanStep, ctx: ExecContext, file: string, user: string): StepOutcome {
  const text = readFileSync(file, 'utf8');
  const setAt = SET_AT_LINE.exec(text)?.[1];
  const setMs = setAt === undefined ? Number.NaN : Date.parse(setAt);
  const seen = step.target.ref.passwordLastChanged;
  const seenMs = seen === undefined ? Number.NaN : Date.parse(seen);
  if (PASSWORD_LINE.test(text) && !Number.isNaN(setMs) && (Number.isNaN(seenMs) || setMs > seenMs)) {
    ctx.log(`the console password of user ${user} was reset by an earlier run at ${setAt}; it is in ${file} (mode 0600)`);
    return { result: 'already' };
  }
  const why = !PASSWORD_LINE.test(text) || Number.isNaN(setMs)
    ? 'holds no complete password (an earlier run was interrupted while writing it)'
    : `holds a password set ${setAt}, before the password the plan saw (changed ${seen})`;
  throw new Error(`${file} already exists and ${why}: move the file away and apply again`);
}

/**
 * The new password is on disk before IAM has it: a run killed after the
 * call leaves a file that says what the password is; killed before it, the
 * old password still stands and the next run (which finds this intent)
 * starts again with a new one.
 */
async function reset(iam: IAMClient, ctx: ExecContext, file: string, user: string): Promise<StepOutcome> {
  const password = randomPassword(await policyMinimum(iam));
  ctx.intend();
  const secretFile = claimSecretFile(ctx.secretsDir, file);
  let made: boolean;
  try {
    secretFile.write(passwordText(user, password, ctx.now));
    made = await changed(iam.send(new UpdateLoginProfileCommand({ UserName: user, Password: password, PasswordResetRequired: true })));
  } catch (err) {
    secretFile.abandon();
    // Only the error's code: nothing that could echo the request reaches a log.
    throw new Error(`could not set a new console password for user ${user} (${errorCode(err)}); the old password still stands`);
  }
  if (!made) {
    secretFile.abandon();
    ctx.log(`user ${user} has no console password any more: nothing to reset`);
    return { result: 'already' };
  }
  ctx.log(`set a new console password for user ${user}, to be changed at the first sign-in; it is in ${file} (mode 0600)`);
  return { result: 'done' };
}

/**
 * Resets a user's console password to a new random one the user must
 * change at the first sign-in (UpdateLoginProfile with
 * PasswordResetRequired). The password is written to a new file in the
 * secrets folder, mode 0600, before IAM gets it, and nowhere else: never
 * logged, printed, returned or journaled. Irreversible: IAM never reveals a
 * password, so the old one cannot be put back.
 */
export const executor: Executor = {
  observe: (step, ctx) => observeLoginProfile(ctx.clients.iam(), userOf(step)),

  async run(step, ctx) {
    const user = userOf(step);
    const file = passwordFile(ctx.secretsDir, user);
    const iam = ctx.clients.iam();
    if (ctx.pending) {
      // A killed run may or may not have set the password in its file: a new one replaces both.
      rmSync(file, { force: true });
      return reset(iam, ctx, file, user);
    }
    return existsSync(file) ? earlier(step, ctx, file, user) : reset(iam, ctx, file, user);
  },
};
