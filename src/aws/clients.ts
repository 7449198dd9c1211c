import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { HealthClient } from '@aws-sdk/client-health';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CallCounter, countCalls } from './call-counter.js';
import { tagFailures } from './call-kind.js';
import { ProjectingEc2Protocol } from './ec2-protocol.js';
import { RollcallRetryStrategy } from './retry.js';
import { SdkSettings } from './sdk-settings.js';
import { ACTION_PREFIX, type ServiceName } from './services.js';

export interface ClientOptions {
  /** Region for global services (IAM, STS) and the default for the rest. */
  region: string;
  /** Sockets per host in the shared keep-alive pool; size it to the collection concurrency (see socketsFor). */
  maxSockets: number;
  connectTimeoutMs: number;
  /** Regional services: how long a request may wait for its response, and a socket may sit idle. A silent endpoint costs this per attempt. */
  requestTimeoutMs: number;
  /** The same for IAM and STS, whose one endpoint answers large account-wide reads (GetAccountAuthorizationDetails) slowly. */
  globalRequestTimeoutMs: number;
  /** Attempts for a throttled call (AWS_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Attempts for a call whose endpoint seems down (refused, not resolved, timed out) or answers 5xx; never more than maxAttempts. A reset read is retried like throttling (retry.ts). */
  transientMaxAttempts: number;
  /** The shared-config profile: its credentials here; its region and endpoint come through AWS_PROFILE, which the CLI sets from --profile. */
  profile?: string;
  /** A role assumed for the whole run (--role-arn), with the credentials above as the source. */
  assumeRole?: AssumeRole;
  /** Endpoint overrides for one service in one region, keyed `service@region` (e.g. `ec2@ap-south-1`). */
  endpoints?: Record<string, string>;
}

export interface AssumeRole {
  roleArn: string;
  externalId?: string;
  /** The session name the role's ARN will show (`assumed-role/ROLE/SESSION`); apply's caller check ignores it. */
  sessionName: string;
}

/** A positive number of seconds from the environment, in milliseconds; undefined when unset or not a positive number. */
function secondsFromEnv(name: string): number | undefined {
  const seconds = Number(process.env[name]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
  region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
  maxSockets: 24,
  connectTimeoutMs: 3_000,
  requestTimeoutMs: secondsFromEnv('ROLLCALL_REQUEST_TIMEOUT') ?? 15_000,
  globalRequestTimeoutMs: 60_000,
  maxAttempts: Number(process.env.AWS_MAX_ATTEMPTS) || 8,
  transientMaxAttempts: 2,
};

/** A regional task keeps up to two calls in flight (the EC2 lists); the pool for one host is sized with room to spare. */
export function socketsFor(concurrency: number): number {
  return Math.max(DEFAULT_CLIENT_OPTIONS.maxSockets, concurrency * 3);
}

/**
 * One credential provider, one keep-alive socket pool and one call counter,
 * shared by every client rollcall builds; clients are cached per service and
 * region. Endpoints come from the SDK's standard AWS_ENDPOINT_URL(_<SERVICE>)
 * variables, or from `endpoints` for one service in one region. The SDK's
 * settings from the environment are looked up once (sdk-settings.ts), for
 * this instance's clients, or for every account's with `sdk` (org mode).
 */
export class AwsClients {
  readonly counter = new CallCounter();
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly agents: { http: HttpAgent; https: Agent };
  /** Two handlers over the same pool: they differ only in how long a request may take. */
  private readonly regionalHandler: NodeHttpHandler;
  private readonly globalHandler: NodeHttpHandler;
  private readonly cache = new Map<string, unknown>();

  /**
   * `credentials`, when given, are this instance's own (org mode: a role assumed
   * in one member account, cached per account); else they are found as usual.
   * `sdk`: settings shared with other instances (org mode: the run's, for every
   * account); they hold no credentials.
   */
  constructor(readonly options: ClientOptions = DEFAULT_CLIENT_OPTIONS, credentials?: AwsCredentialIdentityProvider, readonly sdk: SdkSettings = new SdkSettings()) {
    const source = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
    const role = options.assumeRole;
    // The SDK refreshes the role's credentials before they expire, from the source credentials.
    this.credentials = credentials
      ? credentials
      : role
      ? fromTemporaryCredentials({
          masterCredentials: source,
          params: { RoleArn: role.roleArn, RoleSessionName: role.sessionName, ...(role.externalId ? { ExternalId: role.externalId } : {}) },
          clientConfig: { region: options.region },
        })
      : source;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
    this.agents = { http: new HttpAgent(agentOptions), https: new Agent(agentOptions) };
    this.regionalHandler = this.handler(options.requestTimeoutMs);
    this.globalHandler = this.handler(options.globalRequestTimeoutMs);
  }

  private handler(timeoutMs: number): NodeHttpHandler {
    return new NodeHttpHandler({
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      connectionTimeout: this.options.connectTimeoutMs,
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeoutMs,
    });
  }

  private build<T extends { middlewareStack: unknown; config: unknown }>(service: ServiceName, region: string, make: (config: object) => T): T {
    const key = `${service}@${region}`;
    const cached = this.cache.get(key);
    if (cached) return cached as T;
    const { maxAttempts, transientMaxAttempts } = this.options;
    const endpoint = this.options.endpoints?.[key];
    const client = make({
      ...this.sdk.clientConfig,
      region,
      credentials: this.credentials,
      requestHandler: service === 'iam' || service === 'sts' ? this.globalHandler : this.regionalHandler,
      maxAttempts,
      retryStrategy: new RollcallRetryStrategy({ maxAttempts, transientMaxAttempts: Math.min(transientMaxAttempts, maxAttempts) }),
      ...(endpoint ? { endpoint } : {}),
    });
    // rollcall gives the SDK no logger, yet this middleware would walk every
    // response to redact it for the default one, which discards it: 10-20% of
    // the CPU a 4,000-instance DescribeInstances costs.
    (client.middlewareStack as { remove(name: string): boolean }).remove('loggerMiddleware');
    this.sdk.shareConfiguredEndpoint(client);
    countCalls(client, ACTION_PREFIX[service], this.counter);
    tagFailures(client);
    this.cache.set(key, client);
    return client;
  }

  iam(): IAMClient {
    return this.build('iam', this.options.region, (c) => new IAMClient(c));
  }

  sts(): STSClient {
    return this.build('sts', this.options.region, (c) => new STSClient(c));
  }

  ec2(region: string): EC2Client {
    // Instances and spot requests are read through projections (ec2-protocol.ts).
    return this.build('ec2', region, (c) => new EC2Client({ ...c, protocol: ProjectingEc2Protocol }));
  }

  lambda(region: string): LambdaClient {
    return this.build('lambda', region, (c) => new LambdaClient(c));
  }

  tagging(region: string): ResourceGroupsTaggingAPIClient {
    return this.build('tagging', region, (c) => new ResourceGroupsTaggingAPIClient(c));
  }

  cloudtrail(region: string): CloudTrailClient {
    return this.build('cloudtrail', region, (c) => new CloudTrailClient(c));
  }

  /**
   * S3 (the timeline reads a trail's log files): it follows the bucket to its
   * region; path-style when an endpoint is set (an emulator has no bucket hostnames).
   */
  s3(region: string = this.options.region): S3Client {
    const custom = Boolean(process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3 || this.options.endpoints?.[`s3@${region}`]);
    return this.build('s3', region, (c) => new S3Client({ ...c, followRegionRedirects: true, forcePathStyle: custom }));
  }

  /** AWS Health (scan-secrets reads AWS's exposed-key events): its one endpoint for the aws partition is in us-east-1. */
  health(): HealthClient {
    return this.build('health', 'us-east-1', (c) => new HealthClient(c));
  }

  /** Cost Explorer (audit reads the spend since the incident began): one endpoint per partition, us-east-1 for aws, cn-northwest-1 for aws-cn. */
  costExplorer(region: string = 'us-east-1'): CostExplorerClient {
    return this.build('costExplorer', region, (c) => new CostExplorerClient(c));
  }

  /** AWS Config (an inventory source with --config or --config-aggregator): one recorder per region, an aggregator in its home region. */
  config(region: string): ConfigServiceClient {
    return this.build('config', region, (c) => new ConfigServiceClient(c));
  }

  /** AWS Organizations (org mode lists the accounts): one global endpoint, reached in the run's region. */
  organizations(): OrganizationsClient {
    return this.build('organizations', this.options.region, (c) => new OrganizationsClient(c));
  }

  destroy(): void {
    for (const c of this.cache.values()) (c as { destroy?: () => void }).destroy?.();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
