import { describe, expect, it } from 'vitest';
import { allowsAll, decodePolicyDocument, denyOnly, statementsOf, trustedPrincipals } from '../../../src/answers/policy-document.js';

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });

describe('decodePolicyDocument', () => {
  it('decodes the URL-encoded JSON IAM returns', () => {
    const json = JSON.stringify(doc({ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::a b/%' }));
    expect(decodePolicyDocument(encodeURIComponent(json))).toEqual(JSON.parse(json));
  });

  it('accepts plain JSON, including a literal % that is not an escape', () => {
    expect(decodePolicyDocument('{"Statement":[{"Effect":"Allow","Resource":"100%"}]}')).toEqual({ Statement: [{ Effect: 'Allow', Resource: '100%' }] });
  });

  it('returns null for no document and the text itself for text that is not JSON', () => {
    expect(decodePolicyDocument(undefined)).toBeNull();
    expect(decodePolicyDocument('')).toBeNull();
    expect(decodePolicyDocument('%E0%A4%A')).toBe('%E0%A4%A');
    expect(decodePolicyDocument('not%20json')).toBe('not json');
  });
});

describe('statementsOf', () => {
  it('accepts one statement object or an array, and ignores anything else', () => {
    expect(statementsOf({ Statement: { Effect: 'Allow' } })).toEqual([{ Effect: 'Allow' }]);
    expect(statementsOf({ Statement: [{ Effect: 'Deny' }, 'junk', null] })).toEqual([{ Effect: 'Deny' }]);
    expect(statementsOf('text')).toEqual([]);
    expect(statementsOf(null)).toEqual([]);
  });
});

describe('trustedPrincipals', () => {
  it('lists every principal kind named by Allow statements, normalising bare account ids', () => {
    const trust = doc(
      { Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:role/ci', '333333333333'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity' },
      { Effect: 'Allow', Principal: { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' }, Action: 'sts:AssumeRole' },
    );
    expect(trustedPrincipals(trust)).toEqual([
      'arn:aws:iam::111111111111:root',
      'arn:aws:iam::222222222222:role/ci',
      'arn:aws:iam::333333333333:root',
      'ec2.amazonaws.com',
      'lambda.amazonaws.com',
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    ]);
  });

  it('keeps * as *, whether bare or as {AWS: "*"}, and lists each principal once', () => {
    expect(trustedPrincipals(doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }))).toEqual(['*']);
    expect(
      trustedPrincipals(
        doc(
          { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: { AWS: ['444444444444', 'arn:aws:iam::444444444444:root'] }, Action: 'sts:AssumeRole' },
        ),
      ),
    ).toEqual(['*', 'arn:aws:iam::444444444444:root']);
  });

  it('ignores Deny statements and accepts a single statement object', () => {
    const trust = {
      Statement: [
        { Effect: 'Deny', Principal: { AWS: '555555555555' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    };
    expect(trustedPrincipals(trust)).toEqual(['ecs-tasks.amazonaws.com']);
    expect(trustedPrincipals({ Statement: { Effect: 'Allow', Principal: { AWS: '666666666666' } } })).toEqual(['arn:aws:iam::666666666666:root']);
    expect(trustedPrincipals(null)).toEqual([]);
  });
});

describe('allowsAll', () => {
  it('is true for Action * or *:* on Resource *, as strings or arrays', () => {
    expect(allowsAll(doc({ Effect: 'Allow', Action: '*', Resource: '*' }))).toBe(true);
    expect(allowsAll(doc({ Effect: 'Allow', Action: ['s3:GetObject', '*:*'], Resource: ['arn:aws:s3:::x', '*'] }))).toBe(true);
    expect(allowsAll({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } })).toBe(true);
  });

  it('is false for narrower statements, Deny, NotAction and NotResource', () => {
    expect(allowsAll(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }))).toBe(false);
    expect(allowsAll(doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' }))).toBe(false);
    expect(allowsAll(doc({ Effect: 'Deny', Action: '*', Resource: '*' }))).toBe(false);
    expect(allowsAll(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))).toBe(false);
    expect(allowsAll(doc({ Effect: 'Allow', Action: '*', NotResource: 'arn:aws:s3:::x' }))).toBe(false);
    expect(allowsAll('not a document')).toBe(false);
  });

  it('looks at every statement', () => {
    expect(allowsAll(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Allow', Action: ['*'], Resource: '*' }))).toBe(true);
  });
});

describe('denyOnly', () => {
  it("is true when every statement denies: rollcall's quarantine and session revocation, a single statement object, NotAction", () => {
    expect(denyOnly(doc({ Sid: 'RollcallQuarantine', Effect: 'Deny', Action: '*', Resource: '*' }))).toBe(true);
    expect(denyOnly(doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-22T12:00:00Z' } } }))).toBe(true);
    expect(denyOnly({ Statement: { Effect: 'Deny', Action: 'iam:*', Resource: '*' } })).toBe(true);
    expect(denyOnly(doc({ Effect: 'Deny', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', NotAction: 'sts:*', NotResource: 'arn:aws:s3:::x' }))).toBe(true);
  });

  it('is false as soon as one statement allows, and for anything it cannot show grants nothing', () => {
    expect(denyOnly(doc({ Effect: 'Deny', Action: '*', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }))).toBe(false);
    expect(denyOnly(doc({ Effect: 'Allow', Action: '*', Resource: '*' }))).toBe(false);
    expect(denyOnly(doc({ Effect: 'deny', Action: '*', Resource: '*' }))).toBe(false);
    expect(denyOnly(doc({ Action: '*', Resource: '*' }))).toBe(false);
    expect(denyOnly({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }, 'junk'] })).toBe(false);
    expect(denyOnly(doc())).toBe(false);
    expect(denyOnly({ Version: '2012-10-17' })).toBe(false);
    expect(denyOnly('not a document')).toBe(false);
    expect(denyOnly(null)).toBe(false);
  });
});
