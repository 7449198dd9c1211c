import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/redact.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('redact', () => {
  it('masks a secret access key wherever it stands', () => {
    for (const text of [`secret ${SECRET} used`, `key=${SECRET}`, `"${SECRET}"`, `${SECRET}`, `x:${SECRET},`]) {
      const out = redact(text);
      expect(out).not.toContain(SECRET);
      expect(out).toContain('[redacted]');
    }
  });

  it('masks session tokens and named secrets', () => {
    const token = 'IQoJb3JpZ2luX2VjE' + 'A'.repeat(120) + '==';
    expect(redact(`token ${token}`)).toBe('token [redacted]');
    expect(redact('aws_secret_access_key = hunter2')).toBe('aws_secret_access_key = [redacted]');
    expect(redact('Password: hunter2')).toBe('Password: [redacted]');
  });

  it('keeps access key ids, ARNs and ordinary words', () => {
    const text = 'AKIAIOSFODNN7EXAMPLE arn:aws:iam::123456789012:policy/service-role/AWSLambdaBasicExecutionRole passwordEnabled';
    expect(redact(text)).toBe(text);
  });
});
