/**
 * A resource's history, as a CloudTrail timeline tells it (timeline/join.ts
 * makes it): the events that named it, which of them were the attacker's
 * (provenance), and the attacker's sessions it gives or stands behind. Rules
 * read it under the `history` root (`history.events`, `history.sessions`,
 * `history.created`); violations carry the part a person reads as evidence.
 * Every string in it came from CloudTrail: attacker data.
 */
import type { Resource, ResourceType } from './resource.js';

/** One event that named a resource: who did it, when, from where. Only successful calls are kept. */
export interface HistoryEvent {
  time: string;
  /** eventName, e.g. UpdateAssumeRolePolicy. */
  name: string;
  /** eventSource, e.g. iam.amazonaws.com. */
  source: string;
  region: string;
  actor: { type: string; arn?: string; accessKeyId?: string };
  sourceIp?: string;
  userAgent?: string;
  /** Whether the caller was the attacker (provenance from incident.exposedKeys). */
  attacker: boolean;
  /** The attacker's: steps from an exposed key (0: the exposed key itself). */
  hop?: number;
  /** The attacker's: the foothold that made the call (`kind:id`, e.g. `accessKey:AKIA...`). */
  foothold?: string;
}

/** A session the attacker obtained that this resource gives (a role's AssumeRole) or stands behind (a user's or root's tokens). */
export interface HistorySession {
  accessKeyId: string;
  how: 'AssumeRole' | 'GetSessionToken' | 'GetFederationToken';
  /** When it was issued. */
  time: string;
  /** When it ends, as the record says (ISO-8601); absent when the record does not say. */
  expiration?: string;
  /** Obtained with the root user's credentials. */
  root: boolean;
  /** The session's ARN (assumed-role session, federated user). */
  principal?: string;
  sourceIp?: string;
  /** Steps from an exposed key of the call that obtained it. */
  hop: number;
  /** A role session issued before the role's revocation cut-off (model/session-revocation.ts): it ended then, whatever its expiration said. */
  revokedAt?: string;
}

export interface ResourceHistory {
  /** The latest event that created it (CreateUser, RunInstances...), whoever made it. */
  created?: HistoryEvent;
  /** Every successful event that named it as a target, in time order (STS calls are sessions, not changes). */
  events: HistoryEvent[];
  /** The attacker's sessions it gives or stands behind, in time order. */
  sessions: HistorySession[];
}

/** Why a resource's history cannot be judged: where the timeline is blind. */
export interface HistoryBlindness {
  /** Blind everywhere (the window misses part of the incident, the timeline cannot be joined): why. */
  everywhere?: string;
  /** Regions the timeline could not read (wholly or a file of them), each with why. */
  regions: Map<string, string[]>;
  /** Blind for global resources only (IAM, root): the timeline did not read the region where the partition records IAM's events; why. */
  global?: string[];
}

/** The attacker's sessions of a role in another account: nothing in this account ends them. */
export interface ForeignRoleSessions {
  /** The role's ARN, as the record names it. */
  roleArn: string;
  /** The account that holds the role, where its sessions must be revoked. */
  accountId: string;
  sessions: HistorySession[];
}

/** What the engine and the reports read of a timeline: each resource's history, and where it is blind. */
export interface History {
  /** By `historyKey(type, region, id)`; a resource the timeline never named has none (an empty history). */
  byResource: Map<string, ResourceHistory>;
  blind: HistoryBlindness;
  /** The attacker's sessions obtained with root credentials (no policy ends them; only their expiry). */
  rootSessions: HistorySession[];
  /** What the reader should know: the window read, what it misses. */
  notes: string[];
  /**
   * Why nothing in the timeline can be attributed to the attacker (no exposed
   * key to follow): the rules that read attribution (`attacker`, `hop`,
   * `foothold`, `history.sessions`) are then not judged, as without a timeline.
   */
  unattributed?: string;
  /** The attacker's sessions of roles in other accounts (AssumeRole across accounts), by role. */
  foreignRoleSessions: ForeignRoleSessions[];
}

/** A resource's identity as data: type, region and id. */
export const historyKey = (type: ResourceType, region: string, id: string) => `${type}\u0000${region}\u0000${id}`;

const EMPTY: ResourceHistory = Object.freeze({ events: [], sessions: [] }) as ResourceHistory;

/** A resource's history: empty when the timeline never named it. */
export function historyOf(history: History, r: Pick<Resource, 'type' | 'region' | 'id'>): ResourceHistory {
  return history.byResource.get(historyKey(r.type, r.region, r.id)) ?? EMPTY;
}

/** The longest a session obtained with root credentials lasts (GetSessionToken, GetFederationToken: AWS caps it at 3,600 seconds). */
export const ROOT_SESSION_MAX_MS = 3_600_000;

/** The types a timeline's events are joined to (timeline/join.ts): the only ones a rule may read `history.*` of. */
export const HISTORY_TYPES: readonly ResourceType[] = [
  'account.root', 'iam.user', 'iam.accessKey', 'iam.loginProfile', 'iam.role', 'iam.group', 'iam.policy', 'iam.policyAttachment',
  'iam.inlinePolicy', 'iam.groupMembership', 'ec2.instance', 'ec2.spotRequest', 'ec2.spotFleetRequest', 'lambda.function', 'cloudtrail.trail',
];

/** What a rule reads under `history.*`: `created` (an event), `events` and `sessions` (lists, read with `some`). */
export const HISTORY_FIELDS = { created: 'any', events: 'list', sessions: 'list' } as const;

/** What a violation carries from a timeline: who made its resource, and what the attacker did to it. */
export interface Evidence {
  /** The call that created the resource, whoever made it (attacker or not, with its hop). */
  created?: HistoryEvent;
  /** The attacker's calls on it, oldest first (at most EVIDENCE_LIMIT; `more` counts the rest). */
  attackerChanges: HistoryEvent[];
  /** The attacker's sessions it gives or stands behind, oldest first (at most EVIDENCE_LIMIT). */
  sessions: HistorySession[];
  /** How many attacker changes and sessions were left out past the limit. */
  more?: number;
}

export const EVIDENCE_LIMIT = 20;
