/**
 * The timeline's vocabulary: one kept CloudTrail event, normalised to what an
 * investigator reads, whoever recorded it (LookupEvents or a trail's log
 * file). Every string in it comes from the record: attacker data.
 */
import type { Category } from './catalogue.js';

export interface Actor {
  /** The caller's ARN (an assumed role's session ARN for a session), when the record has one. */
  arn?: string;
  /** The access key id that signed the call (AKIA... a long-term key, ASIA... a session). */
  accessKeyId?: string;
  /** userIdentity.type: IAMUser, AssumedRole, Root, FederatedUser, AWSService, ... */
  type: string;
  /** The role behind a session (sessionContext.sessionIssuer.arn). */
  issuer?: string;
  /** The service that called for the principal (userIdentity.invokedBy). */
  invokedBy?: string;
}

export interface TimelineEvent {
  /** ISO-8601, as CloudTrail wrote it (eventTime). */
  time: string;
  region: string;
  /** eventSource, e.g. iam.amazonaws.com. */
  source: string;
  /** eventName, e.g. CreateAccessKey. */
  name: string;
  category: Category;
  actor: Actor;
  sourceIp?: string;
  userAgent?: string;
  /** The resources the event names (users, roles, policies, keys, instances...), in the catalogue's order. */
  targets: string[];
  /** errorCode: the call was refused or failed (AccessDenied...); absent when it succeeded. */
  errorCode?: string;
  /** eventID: the same event read twice (two series, two files) is kept once. */
  id?: string;
}

/** A region (or one file of it) whose events could not be read: listed in the output, never left out silently. */
export interface TimelineGap {
  region: string;
  source: 'lookup' | 'trail-bucket';
  /** The call that failed, e.g. cloudtrail:LookupEvents, s3:GetObject. */
  operation: string;
  error: string;
  /** The object key, for a log file that could not be read. */
  key?: string;
}

export interface TimelineWindow {
  since: Date;
  until: Date;
}

/** The actor's grouping key: its ARN, else its type with what else identifies it. */
export function actorKey(a: Actor): string {
  return a.arn ?? `${a.type}:${a.invokedBy ?? a.accessKeyId ?? 'unknown'}`;
}
