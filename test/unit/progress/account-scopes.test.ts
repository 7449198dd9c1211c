/** An account-wide service (CloudTrail) is a scope of its own, shown like IAM: one line when it ends, named for people. */
import { describe, expect, it } from 'vitest';
import { servicesOf } from '../../../src/progress/events.js';
import { plainProgress } from '../../../src/progress/progress.js';

describe('account-wide scopes', () => {
  it('CloudTrail finishes on its own event, and its failure names it', () => {
    expect(servicesOf('cloudtrail')).toEqual(['cloudtrail']);
    const lines: string[] = [];
    const p = plainProgress((l) => lines.push(l));
    p.event({ scope: 'cloudtrail', service: 'cloudtrail', state: 'start' });
    expect(lines).toEqual([]);
    p.event({ scope: 'cloudtrail', service: 'cloudtrail', state: 'done', resources: 3 });
    expect(lines).toEqual(['CloudTrail: 3 resources']);
    p.event({ scope: 'cloudtrail', service: 'cloudtrail', state: 'failed', resources: 0, error: 'AccessDeniedException: no' });
    expect(lines.slice(1)).toEqual(['CloudTrail incomplete: AccessDeniedException: no', 'CloudTrail: 0 resources (incomplete)']);
  });

  it('a region still waits for its regional services only', () => {
    expect(servicesOf('eu-west-1')).not.toContain('cloudtrail');
    expect(servicesOf('iam')).toEqual(['iam']);
  });
});
