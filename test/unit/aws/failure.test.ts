import { describe, expect, it } from 'vitest';
import { failureKind } from '../../../src/aws/failure.js';
import { errorCode } from '../../../src/answers/error-info.js';

const err = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('failureKind and the gap code', () => {
  // Each error as the Node HTTP handler or the SDK raises it (names and messages from @smithy/node-http-handler).
  const cases: Array<[string, Error, string, string]> = [
    ['reset before any answer', err('socket hang up', { code: 'ECONNRESET', name: 'TimeoutError' }), 'connection reset', 'connection reset'],
    ['reset by the peer', err('read ECONNRESET', { code: 'ECONNRESET', syscall: 'read', name: 'TimeoutError' }), 'connection reset', 'connection reset'],
    ['broken pipe', err('write EPIPE', { code: 'EPIPE', name: 'TimeoutError' }), 'connection reset', 'connection reset'],
    [
      'connect timeout',
      err('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.', { name: 'TimeoutError' }),
      'connect timeout',
      'connect timeout',
    ],
    ['connect timeout (kernel)', err('connect ETIMEDOUT 10.0.0.1:443', { code: 'ETIMEDOUT', syscall: 'connect' }), 'connect timeout', 'connect timeout'],
    [
      'response timeout',
      err('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 15000 ms requestTimeout.', { name: 'TimeoutError', code: 'ETIMEDOUT' }),
      'response timeout',
      'response timeout',
    ],
    ['idle socket', err('@smithy/node-http-handler - the request socket timed out after 15000 ms of inactivity (configured by client requestHandler).', { name: 'TimeoutError' }), 'response timeout', 'response timeout'],
    ['refused', err('connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED', syscall: 'connect' }), 'connection refused', 'connection refused'],
    ['name not found', err('getaddrinfo ENOTFOUND ec2.xx-nowhere-1.amazonaws.com', { code: 'ENOTFOUND', syscall: 'getaddrinfo' }), 'DNS failure', 'DNS failure'],
    ['resolver down', err('getaddrinfo EAI_AGAIN ec2.us-east-1.amazonaws.com', { code: 'EAI_AGAIN' }), 'DNS failure', 'DNS failure'],
    ['no route', err('connect EHOSTUNREACH 10.0.0.1:443', { code: 'EHOSTUNREACH' }), 'network unreachable', 'network unreachable'],
    ['IAM throttling', err('Rate exceeded', { name: 'Throttling', $metadata: { httpStatusCode: 400 } }), 'throttling', 'Throttling'],
    ['EC2 throttling', err('Request limit exceeded.', { name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } }), 'throttling', 'RequestLimitExceeded'],
    ['slow down', err('Please reduce your request rate.', { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }), 'throttling', 'SlowDown'],
    ['HTTP 429', err('Rate exceeded', { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }), 'throttling', 'TooManyRequestsException'],
    ['IAM access denied', err('User is not authorized', { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }), 'access denied', 'AccessDenied'],
    ['EC2 access denied', err('You are not authorized', { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }), 'access denied', 'UnauthorizedOperation'],
    ['internal error', err('We encountered an internal error', { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } }), 'server error', 'InternalFailure'],
  ];

  for (const [what, error, kind, code] of cases) {
    it(`${what}: ${kind}, in a gap ${code}`, () => {
      expect(failureKind(error)).toBe(kind);
      expect(errorCode(error)).toBe(code);
    });
  }

  it('anything else has no kind and keeps its name or code', () => {
    expect(failureKind(err('no such user', { name: 'NoSuchEntityException', $metadata: { httpStatusCode: 404 } }))).toBeUndefined();
    expect(errorCode(err('no such user', { name: 'NoSuchEntityException' }))).toBe('NoSuchEntityException');
    expect(errorCode(err('disk full', { code: 'ENOSPC' }))).toBe('ENOSPC');
    expect(failureKind('a string')).toBeUndefined();
    expect(failureKind(null)).toBeUndefined();
    expect(errorCode('a string')).toBe('Error');
  });
});
