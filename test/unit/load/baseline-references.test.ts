import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { InputError, type InputProblem } from '../../../src/errors.js';
import { awsRegions } from '../../../src/load/aws-regions.js';
import { loadBaseline } from '../../../src/load/baseline.js';
import { validateFiles } from '../../../src/load/validate.js';
import { thrown } from './files.js';

function fileWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollcall-baseline-refs-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function problemsOf(fn: () => unknown): InputProblem[] {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(InputError);
  return (e as InputError).problems;
}

const HEAD = 'version: 1\naccount: { id: "123456789012" }\n';

describe('region names are checked against the AWS partitions the SDK knows', () => {
  it('the list comes from the SDK: every partition, no pseudo-region', () => {
    const regions = awsRegions();
    for (const r of ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1']) expect(regions.has(r)).toBe(true);
    expect(regions.has('aws-global')).toBe(false);
  });

  it('regions.allowed and selector regions: a typo is located, with a did-you-mean; * stays allowed', () => {
    const dir = fileWith({
      'b.yaml': `${HEAD}regions: { allowed: [us-east-1, us-esat-1] }
resources:
  ec2.instance:
    - { region: "*", name: web }
    - { region: eu-wset-1, name: db }
  lambda.function:
    - { region: xx-nowhere-9, name: f }
`,
    });
    const file = join(dir, 'b.yaml');
    const found = problemsOf(() => loadBaseline(file));
    expect(found.map((p) => [p.line, p.column, p.path, p.message.replace(/ \(known: .*\)$/, ' (known: ...)')])).toEqual([
      [3, 33, '/regions/allowed/1', "'us-esat-1' is not an AWS region, did you mean 'us-east-1'?"],
      [7, 17, '/resources/ec2.instance/1/region', "'eu-wset-1' is not an AWS region, did you mean 'eu-west-1'?"],
      [9, 17, '/resources/lambda.function/0/region', "'xx-nowhere-9' is not an AWS region (known: ...)"],
    ]);
  });
});

describe('exceptions must name a known rule', () => {
  const withException = (rule: string) => `${HEAD}exceptions:
  - rule: ${rule}
    subject: user/alice
    reason: SEC-42
    expires: 2027-01-31
`;

  it('loaded with the rules in use: a typo gets a did-you-mean, at the rule line', () => {
    const dir = fileWith({ 'b.yaml': withException('iam-user-console-without-mfaa') });
    const file = join(dir, 'b.yaml');
    const ids = new Set(['iam-user-console-without-mfa', 'iam-user-undeclared']);
    expect(problemsOf(() => loadBaseline(file, { ids, from: 'the built-in rules' }))).toEqual([
      {
        file,
        line: 4,
        column: 11,
        path: '/exceptions/0/rule',
        message: "unknown rule 'iam-user-console-without-mfaa': not among the built-in rules; did you mean 'iam-user-console-without-mfa'?",
      },
    ]);
    expect(loadBaseline(file).exceptions).toHaveLength(1); // without rules (show, apply), nothing to check against
  });

  it('validate knows the built-in rules and the rule files it is given', () => {
    const dir = fileWith({
      'b.yaml': withException('my-rule'),
      'my-rule.yaml': 'id: my-rule\ntitle: t\nseverity: low\nresource: iam.user\nrelation: always\nmessage: m\nrationale: r\nremediation: [manualReview]\n',
      'builtin.yaml': withException('iam-user-undeclared'),
    });
    expect(problemsOf(() => validateFiles([join(dir, 'b.yaml')])).map((p) => p.message)).toEqual([
      "unknown rule 'my-rule': not among the built-in rules (give your rule folders to validate too)",
    ]);
    expect(validateFiles([join(dir, 'b.yaml'), join(dir, 'my-rule.yaml'), join(dir, 'builtin.yaml')]).map((r) => r.kind)).toEqual([
      'baseline',
      'baseline',
      'rule',
    ]);
  });
});
