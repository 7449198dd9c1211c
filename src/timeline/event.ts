/**
 * The timeline's vocabulary: one kept CloudTrail event, normalised to what an
 * investigator reads, whoever recorded it (LookupEvents or a trail's log
 * file). Every string in it comes from the record: attacker data.
 */
import type { Category, SubjectKind } from './catalogue.js';

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
  /** The call was made with console session credentials (the record's sessionCredentialFromConsole). */
  console?: true;
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
  /** The same targets with the kind of each (one entry per kind and id): what a reader joins to an inventory. */
  subjects: Subject[];
  /** The credential the event issued, when it succeeded and issued one: its id, never its secret. */
  issued?: IssuedCredential;
  /** errorCode: the call was refused or failed (AccessDenied...); absent when it succeeded. */
  errorCode?: string;
  /** eventID: the same event read twice (two series, two files) is kept once. */
  id?: string;
}

export interface Subject {
  kind: SubjectKind;
  id: string;
}

/** A credential an event issued: a new access key (CreateAccessKey) or a session (GetSessionToken, GetFederationToken, AssumeRole). */
export interface IssuedCredential {
  kind: 'accessKey' | 'session';
  accessKeyId: string;
  /** The user a new access key belongs to (absent: the caller's own). */
  owner?: string;
  /** The session's principal: an assumed role's session ARN, a federated user's ARN. */
  principal?: string;
  /** When the session ends (ISO-8601), as the record says. */
  expiration?: string;
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
