import { ACCOUNT_WIDE_SERVICE_NAMES, REGIONAL_SERVICE_NAMES, type AccountWideService, type RegionalService } from '../model/resource-types/index.js';

export type { AccountWideService, RegionalService };

/** The services collected once for the account whose resources live in regions (CloudTrail): each is its own scope. */
export const ACCOUNT_WIDE_SERVICES = ACCOUNT_WIDE_SERVICE_NAMES;

/** The services collected in every scanned region, in the order they are reported: the resource-type registry's regional services. */
export const REGIONAL_SERVICES = REGIONAL_SERVICE_NAMES;

/** One collector starting or finishing: IAM once (scope `iam`), each account-wide service once (its name is its scope), each regional service once per region. */
export interface ProgressEvent {
  /** `iam`, an account-wide service (`cloudtrail`), or a region name. */
  scope: string;
  service: 'iam' | AccountWideService | RegionalService;
  /** `failed`: finished with at least one gap. */
  state: 'start' | 'done' | 'failed';
  /** How many resources it found (when finished). */
  resources?: number;
  /** The first gap's code and message (when failed). */
  error?: string;
}

export interface Progress {
  event(e: ProgressEvent): void;
  /** A message that must not break the live display. */
  log(message: string): void;
  /** Collection is over: leave the final state on screen. */
  done(): void;
}

/** A scope that is one service for the whole account (IAM, CloudTrail), not a region. */
export const isAccountScope = (scope: string): scope is 'iam' | AccountWideService => scope === 'iam' || (ACCOUNT_WIDE_SERVICES as readonly string[]).includes(scope);

/** How a scope is named on screen. */
export const scopeLabel = (scope: string): string => (scope === 'iam' ? 'IAM' : scope === 'cloudtrail' ? 'CloudTrail' : scope);

/** The services a scope waits for before it counts as finished. */
export const servicesOf = (scope: string): readonly ProgressEvent['service'][] => (isAccountScope(scope) ? [scope] : REGIONAL_SERVICES);
