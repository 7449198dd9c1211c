import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CallCounter, countCalls } from './call-counter.js';

export interface ClientOptions {
  /** Region for global services (IAM, STS) and the default for the rest. */
  region: string;
  /** Bounded concurrency also sizes the socket pool. */
  maxSockets: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxAttempts: number;
  profile?: string;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
  region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
  maxSockets: 16,
  connectTimeoutMs: 3_000,
  requestTimeoutMs: 60_000,
  maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS) || 8,
};

/**
 * One credential provider, one socket pool and one call counter, shared by
 * every client rollcall builds; clients are cached per service and region.
 * Endpoints come from the SDK's standard AWS_ENDPOINT_URL(_<SERVICE>) variables.
 */
export class AwsClients {
  readonly counter = new CallCounter();
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly handler: NodeHttpHandler;
  private readonly cache = new Map<string, unknown>();

  constructor(readonly options: ClientOptions = DEFAULT_CLIENT_OPTIONS) {
    this.credentials = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.handler = new NodeHttpHandler({
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new Agent(agentOptions),
      connectionTimeout: options.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
    });
  }

  private build<T extends { middlewareStack: unknown }>(service: string, region: string, make: (config: object) => T): T {
    const key = `${service}@${region}`;
    const cached = this.cache.get(key);
    if (cached) return cached as T;
    const client = make({
      region,
      credentials: this.credentials,
      requestHandler: this.handler,
      maxAttempts: this.options.maxAttempts,
      retryMode: 'adaptive',
    });
    countCalls(client, service, this.counter);
    this.cache.set(key, client);
    return client;
  }

  iam(): IAMClient {
    return this.build('iam', this.options.region, (c) => new IAMClient(c));
  }

  sts(): STSClient {
    return this.build('sts', this.options.region, (c) => new STSClient(c));
  }

  destroy(): void {
    for (const c of this.cache.values()) (c as { destroy?: () => void }).destroy?.();
    this.handler.destroy();
  }
}
