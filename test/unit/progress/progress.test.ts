import { describe, expect, it } from 'vitest';
import { createProgress, plainProgress } from '../../../src/progress/progress.js';

describe('plain progress (piped, or in CI)', () => {
  it('prints a line per finished scope, and each failure as it happens', () => {
    const lines: string[] = [];
    const p = plainProgress((l) => lines.push(l));
    p.event({ scope: 'iam', service: 'iam', state: 'start' });
    p.event({ scope: 'eu-west-1', service: 'ec2', state: 'start' });
    p.event({ scope: 'eu-west-1', service: 'ec2', state: 'done', resources: 3 });
    p.event({ scope: 'eu-west-1', service: 'lambda', state: 'start' });
    p.event({ scope: 'eu-west-1', service: 'lambda', state: 'failed', resources: 0, error: 'AccessDenied: no' });
    p.event({ scope: 'iam', service: 'iam', state: 'done', resources: 12 });
    expect(lines).toEqual(['eu-west-1 lambda incomplete: AccessDenied: no', 'IAM: 12 resources']);
    p.event({ scope: 'eu-west-1', service: 'tagging', state: 'done', resources: 1 });
    expect(lines.at(-1)).toBe('eu-west-1: ec2 3, lambda 0 (incomplete), tagging 1');
  });
});

describe('createProgress', () => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, write: (s: string) => written.push(s) > 0, columns: 80, rows: 24 } as unknown as NodeJS.WriteStream };
  };

  it('--quiet prints nothing', () => {
    const s = stream(false);
    const p = createProgress(true, s.stream, {});
    p.log('hello');
    p.event({ scope: 'iam', service: 'iam', state: 'failed', resources: 0, error: 'x' });
    p.done();
    expect(s.written).toEqual([]);
  });

  it('piped, or on a terminal in CI: plain lines', () => {
    for (const [tty, env] of [[false, {}], [true, { CI: 'true' }]] as const) {
      const s = stream(tty);
      createProgress(false, s.stream, env).event({ scope: 'iam', service: 'iam', state: 'done', resources: 2 });
      expect(s.written).toEqual(['rollcall: IAM: 2 resources\n']);
    }
  });
});
