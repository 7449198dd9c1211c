import { afterEach, describe, expect, it, vi } from 'vitest';

describe('ROLLCALL_REQUEST_TIMEOUT', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('sets the regional response timeout in seconds; anything but a positive number keeps the default', async () => {
    vi.stubEnv('ROLLCALL_REQUEST_TIMEOUT', '90');
    expect((await import('../../../src/aws/clients.js')).DEFAULT_CLIENT_OPTIONS.requestTimeoutMs).toBe(90_000);
    vi.resetModules();
    vi.stubEnv('ROLLCALL_REQUEST_TIMEOUT', 'soon');
    expect((await import('../../../src/aws/clients.js')).DEFAULT_CLIENT_OPTIONS.requestTimeoutMs).toBe(15_000);
  });
});
