import { REGIONAL_SERVICE_NAMES, type RegionalService } from '../model/resource-types/index.js';

export type { RegionalService };

/** The services collected in every scanned region, in the order they are reported: the resource-type registry's regional services. */
export const REGIONAL_SERVICES = REGIONAL_SERVICE_NAMES;

/** One collector starting or finishing: IAM once (scope `iam`), each regional service once per region. */
export interface ProgressEvent {
  /** `iam`, or a region name. */
  scope: string;
  service: 'iam' | RegionalService;
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

/** The services a scope waits for before it counts as finished. */
export const servicesOf = (scope: string): readonly ProgressEvent['service'][] => (scope === 'iam' ? ['iam'] : REGIONAL_SERVICES);
