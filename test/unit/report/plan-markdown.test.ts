import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import { renderPlan } from '../../../src/report/plan-markdown.js';
import { NOW, user } from '../../helpers/resources.js';
import { ADMIN, EXPOSED, compromise, declaring, planFor } from '../plan/fixtures.js';

const itemOf = (md: string, n: number): string => {
  const start = md.indexOf(`\n${n}. [ ] `);
  if (start < 0) throw new Error(`no item ${n}`);
  const next = md.slice(start + 1).search(/\n(\d+\. \[ \] |## )/);
  return next < 0 ? md.slice(start + 1) : md.slice(start + 1, start + 1 + next);
};

describe('renderPlan', () => {
  const { plan } = planFor(compromise(), { destructive: true });
  const md = renderPlan(plan);

  it('header: account, caller, when, completeness, destructiveness, counts', () => {
    expect(md).toMatch(/^# rollcall plan: account 123456789012\n/);
    expect(md).toContain(`Made ${NOW.toISOString()} by rollcall 9.9.9 as \`arn:aws:iam::123456789012:user/auditor\`, from inventory \`${plan.inventoryDigest}\`. Plan digest \`${plan.digest}\`.`);
    expect(md).toContain('**Complete inventory.** **Destructive steps asked for** (`--destructive`)');
    expect(md).toContain(`**${plan.steps.length} steps**: 15 reversible, 9 destructive, 7 manual, 1 irreversible.`);
  });

  it('the steps, in order, as a numbered checklist with markers, subject, step id and dependencies', () => {
    expect(itemOf(md, 1)).toBe(
      '1. [ ] **[reversible]** Create a replacement access key for user legacy-bot (its secret goes to a new file, mode 0600, never printed): `accessKey/new:legacy-bot`\n   - step `createReplacementKey accessKey/new:legacy-bot`\n',
    );
    const deactivate = plan.steps.findIndex((s) => s.id === `deactivateAccessKey accessKey/${EXPOSED}`) + 1;
    expect(itemOf(md, deactivate)).toContain(`- step \`deactivateAccessKey accessKey/${EXPOSED}\`, after 2 (\`manualSwitchCredentials accessKey/${EXPOSED}\`)`);
    const cancel = plan.steps.findIndex((s) => s.action === 'cancelSpotRequest') + 1;
    expect(itemOf(md, cancel)).toMatch(new RegExp(`^${cancel}\\. \\[ \\] Cancel spot request sir-1 in us-east-1`));
    const inline = plan.steps.findIndex((s) => s.action === 'deleteInlinePolicy') + 1;
    expect(itemOf(md, inline)).toContain('**[destructive]** **[reversible]** Delete inline policy maintenance of user legacy-bot');
    const numbers = [...md.matchAll(/^(\d+)\. \[ \] /gm)].map((m) => Number(m[1]));
    expect(numbers).toEqual(plan.steps.map((_, i) => i + 1));
    // two-digit items indent their details by four
    expect(itemOf(md, 10)).toMatch(/\n {4}- step `/);
    expect(md).toContain(`Detach policy ${ADMIN} from user backup-admin`);
  });

  it('manual steps show their instructions; the AWS Support text is a quote block', () => {
    const n = plan.steps.findIndex((s) => s.action === 'manualContactSupport') + 1;
    const item = itemOf(md, n);
    expect(item).toContain('**[manual]** Contact AWS Support about the compromise (by hand, with the text below): `root/root`');
    expect(item).toContain(`${' '.repeat(String(n).length + 2)}Open a case in the AWS Support Center`);
    expect(item).not.toContain('Text to send:');
    expect(item).toContain('> Subject: Possible compromise of AWS account 123456789012\n');
    expect(item).toContain('> - IAM user not declared in the baseline: user/backup-admin\n');
    expect(item).toMatch(/ {4}>\n/); // blank lines stay inside the quote
    const review = itemOf(md, plan.steps.findIndex((s) => s.id === 'manualReview user/ci') + 1);
    // the reasons form a list of their own, and the closing sentence is not swallowed by it
    expect(review).toMatch(/settle each finding by hand:\n\n {4}- User with two active access keys: .*\n {4}- rollcall cannot deactivateAccessKey here: .*\n\n {4}Fix what is wrong\./);
  });

  it("the plan's warnings, when it has some", () => {
    expect(md).toContain(`## Warnings\n- Exposed access key ${EXPOSED} of user legacy-bot is still active`);
    expect(renderPlan({ ...plan, warnings: [] })).not.toContain('## Warnings');
    const { warnings: _, ...older } = plan; // a plan made before plans recorded their warnings
    expect(renderPlan(older)).not.toContain('## Warnings');
  });

  it('an empty plan says there is nothing to do', () => {
    const empty: Plan = { ...plan, steps: [] };
    const out = renderPlan(empty);
    expect(out).toContain('**Nothing to do.**');
    expect(out).not.toContain('## Steps');
  });

  it('an incomplete, reversible-only plan says so', () => {
    const out = renderPlan({ ...plan, complete: false, destructive: false });
    expect(out).toContain('**Incomplete inventory**: the collection had gaps, so this plan holds no destructive step');
    expect(out).toContain('**Reversible first**: no destructive step was asked for');
  });

  it('names chosen by an attacker cannot break the Markdown', () => {
    const { plan: p } = planFor([user('evil`name\n# injected')], { baseline: declaring() });
    const out = renderPlan(p);
    expect(out).not.toMatch(/^# injected/m);
    expect(out).toContain('``user/evil`name # injected``');
  });
});
