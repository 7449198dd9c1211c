/**
 * The settings every SDK client would otherwise look up for itself: FIPS and
 * dual-stack endpoints, the user agent's app id, the auth scheme preference,
 * and each service's configured endpoint (AWS_ENDPOINT_URL_<SERVICE>,
 * AWS_ENDPOINT_URL, the profile's endpoint_url or services section, unless
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS). Each client reads each of them through
 * its own chain (environment, shared config files, default), and every source
 * that lacks the value throws an error with a stack trace: about ten per
 * client. An org run builds some 64 clients per account (three services in
 * each of twenty regions), and those lookups were a tenth of its CPU.
 *
 * Here each is looked up once, with the SDK's own loaders and selectors, when
 * a client first needs it, and every client given these settings shares the
 * answer: one AwsClients' clients, and in an org run every account's (the
 * settings carry no credentials; each account keeps its own). The values are
 * the ones each client would have found, as long as the environment does not
 * change during the run.
 */
import { NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client';
import { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } from '@aws-sdk/core/httpAuthSchemes';
import { loadConfig, NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS } from '@smithy/core/config';
import type { Provider } from '@smithy/types';

/** What a client's constructor takes instead of looking each value up itself. */
export interface SharedClientConfig {
  useFipsEndpoint: Provider<boolean>;
  useDualstackEndpoint: Provider<boolean>;
  userAgentAppId: Provider<string | undefined>;
  authSchemePreference: Provider<string[]>;
}

export class SdkSettings {
  /** The profile is the client's (AWS_PROFILE; the CLI sets it from --profile), as each client's own loader finds it. */
  readonly clientConfig: SharedClientConfig = {
    useFipsEndpoint: loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS),
    useDualstackEndpoint: loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS),
    userAgentAppId: loadConfig(NODE_APP_ID_CONFIG_OPTIONS),
    authSchemePreference: loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS),
  };

  /** Service id -> the first client's lookup of its configured endpoint, memoized by the SDK. */
  private readonly configuredEndpoints = new Map<string, unknown>();

  /**
   * A client's configured-endpoint lookup becomes the first one of its
   * service's: the SDK memoizes it per client (`serviceConfiguredEndpoint`,
   * set on the resolved config, which takes no input for it), so the
   * first client's answer is every later one's. A client without that
   * member (another SDK version) keeps its own lookup.
   */
  shareConfiguredEndpoint(client: { config: unknown }): void {
    const config = client.config as { serviceId?: unknown; serviceConfiguredEndpoint?: unknown };
    if (typeof config.serviceConfiguredEndpoint !== 'function' || typeof config.serviceId !== 'string') return;
    const first = this.configuredEndpoints.get(config.serviceId);
    if (first) config.serviceConfiguredEndpoint = first;
    else this.configuredEndpoints.set(config.serviceId, config.serviceConfiguredEndpoint);
  }
}
