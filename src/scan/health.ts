/**
 * AWS's own word that a key leaked: AWS Health events of type
 * AWS_RISK_CREDENTIALS_EXPOSED, whose affected entity is the access key id.
 * The Health API answers only accounts with a Business, Enterprise On-Ramp or
 * Enterprise support plan; without one (SubscriptionRequiredException), or
 * on any other failure, the scan goes on with a note.
 */
import { DescribeAffectedEntitiesCommand, DescribeEventsCommand, type HealthClient } from '@aws-sdk/client-health';
import { errorCode, errorMessage } from '../answers/error-info.js';
import { redact } from '../redact.js';

export const EXPOSED_EVENT_TYPE = 'AWS_RISK_CREDENTIALS_EXPOSED';
const KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
/** DescribeAffectedEntities takes at most 10 event ARNs a call. */
const ARNS_PER_CALL = 10;

export interface HealthReport {
  keyId: string;
  eventArn: string;
  /** When AWS says the exposure began (the event's start), ISO 8601. */
  startTime?: string;
}

export interface HealthRead {
  reports: HealthReport[];
  /** Set when Health could not be read: why, for the report's notes. */
  note?: string;
}

export async function readExposedKeyEvents(health: HealthClient): Promise<HealthRead> {
  try {
    const events: { arn: string; startTime?: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await health.send(new DescribeEventsCommand({ filter: { eventTypeCodes: [EXPOSED_EVENT_TYPE] }, maxResults: 100, ...(nextToken ? { nextToken } : {}) }));
      for (const e of page.events ?? []) if (e.arn) events.push({ arn: e.arn, ...(e.startTime ? { startTime: e.startTime.toISOString() } : {}) });
      nextToken = page.nextToken;
    } while (nextToken);

    const start = new Map(events.map((e) => [e.arn, e.startTime]));
    const reports: HealthReport[] = [];
    for (let i = 0; i < events.length; i += ARNS_PER_CALL) {
      const eventArns = events.slice(i, i + ARNS_PER_CALL).map((e) => e.arn);
      let token: string | undefined;
      do {
        const page = await health.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns }, maxResults: 100, ...(token ? { nextToken: token } : {}) }));
        for (const entity of page.entities ?? []) {
          // The entity of this event type is the key id; anything else is not a key to look up.
          if (!entity.entityValue || !KEY_ID.test(entity.entityValue) || !entity.eventArn) continue;
          const startTime = start.get(entity.eventArn);
          reports.push({ keyId: entity.entityValue, eventArn: entity.eventArn, ...(startTime ? { startTime } : {}) });
        }
        token = page.nextToken;
      } while (token);
    }
    return { reports };
  } catch (err) {
    const code = errorCode(err);
    const message = errorMessage(err);
    if (code === 'SubscriptionRequiredException') {
      return { reports: [], note: 'AWS Health was not read: its API needs a Business, Enterprise On-Ramp or Enterprise support plan (SubscriptionRequiredException); AWS also e-mails the account about exposed keys' };
    }
    return { reports: [], note: `AWS Health could not be read (${code}: ${redact(message)}): exposed-key events not included` };
  }
}
