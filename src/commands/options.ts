import { InputError } from '../errors.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { AwsClients, DEFAULT_CLIENT_OPTIONS } from '../aws/clients.js';

export interface GlobalOptions {
  profile?: string;
  region?: string;
  quiet?: boolean;
}

export function parseSeverity(value: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw InputError.at({ file: '--fail-on' }, `must be one of: ${SEVERITIES.join(', ')} (got '${value}')`);
}

/** `--now` lets an audit be evaluated as of a fixed time (reproducible reports, exception expiry checks). */
export function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw InputError.at({ file: '--now' }, `must be an ISO-8601 date or date-time (got '${value}')`);
  return d;
}

export function makeClients(g: GlobalOptions): AwsClients {
  return new AwsClients({
    ...DEFAULT_CLIENT_OPTIONS,
    ...(g.region ? { region: g.region } : {}),
    ...(g.profile ? { profile: g.profile } : {}),
  });
}

export function makeLog(g: GlobalOptions): (message: string) => void {
  return g.quiet ? () => {} : (message) => process.stderr.write(`rollcall: ${message}\n`);
}
