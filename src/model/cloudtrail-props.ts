/**
 * The `props` of CloudTrail's resource types, as the CloudTrail collector
 * fills them and rules read them. Dates are ISO-8601 strings; `null` means
 * AWS reports none.
 */

/** id: the trail's name; region: its home region (where it was created). tags: from the Tagging API. */
export interface TrailProps {
  name: string;
  homeRegion: string;
  /** Logs every region (and new ones as they open), not only its home region. */
  multiRegion: boolean;
  /** An organization's trail: made in the management account, it logs every member account. */
  organizationTrail: boolean;
  /** The trail's account (its ARN's): an organization trail seen from a member account has the management account's. */
  ownerAccountId: string;
  includeGlobalServiceEvents: boolean;
  /** GetTrailStatus IsLogging: false once StopLogging was called, until StartLogging. */
  logging: boolean;
  /** When logging last started (StartLogging, or the trail's creation). */
  startLoggingTime: string | null;
  /** When logging was last stopped (StopLogging); kept after logging starts again. */
  stopLoggingTime: string | null;
  /** It records read-only management events (Describe*, List*, Get*), by its classic or advanced event selectors. */
  managementEventsRead: boolean;
  /** It records management events that change something (Create*, Delete*, Put*, StopLogging...). */
  managementEventsWrite: boolean;
  /** Its selectors are advanced event selectors (field conditions) rather than classic ones. */
  advancedEventSelectors: boolean;
  s3Bucket: string | null;
  s3KeyPrefix: string | null;
  logFileValidation: boolean;
}

/**
 * id: `account`. What the account's trails add up to, made from every trail
 * read (never from a partial read: a failed CloudTrail call leaves a gap
 * instead of this resource).
 */
export interface CloudTrailAccountProps {
  /** How many trails were read: those homed in a scanned region, and every multi-region trail. */
  trails: number;
  /** ARNs of the multi-region trails. */
  multiRegionTrails: string[];
  /** ARNs of the multi-region trails that are logging and record management events, read and write. */
  loggingMultiRegionTrails: string[];
}
