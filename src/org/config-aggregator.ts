/**
 * `audit --org --config-aggregator NAME`: the aggregator lives in the account
 * the run starts in (the management account or a delegated administrator),
 * so it is read with the run's own credentials, never a member's role: its
 * description and its sources' statuses once per run, for this run's (this
 * shard's) accounts only, then each account's resources queried through it
 * when that account's turn comes (collect/config-aggregator.ts). An
 * aggregator that cannot be read is a gap for every account, never a crash.
 */
import type { AwsClients } from '../aws/clients.js';
import { readAggregator, type SharedAggregator } from '../collect/config-aggregator.js';
import { ACCOUNT_ID } from './accounts.js';

/** collect/config.ts's ConfigSource of kind 'aggregator' (not imported: this module's calls are the run's own, and that one's are the accounts'). */
interface AggregatorSource {
  kind: 'aggregator';
  name: string;
  trusted?: boolean;
}

/**
 * The aggregator read once for `accounts` (12-digit ids: nothing else is
 * asked about), as a Config source each account's collection queries.
 * `member`: the run listed the organization (--org), so each account it
 * audits is in the organization an organization aggregator aggregates.
 */
export async function sharedAggregator(
  management: AwsClients,
  source: AggregatorSource,
  accounts: readonly string[],
  member: boolean,
  log: (message: string) => void,
): Promise<AggregatorSource & { shared: SharedAggregator }> {
  const ids = new Set(accounts.filter((id) => ACCOUNT_ID.test(id)));
  const client = management.config(management.options.region);
  const view = await readAggregator(client, source.name, (id) => ids.has(id));
  if (view.readable) {
    log(`AWS Config aggregator ${source.name} (${management.options.region}): ${view.statuses.size} source status(es) of this run's accounts${view.organization ? ' and the organization' : ''}; each account's resources are queried through it`);
  } else {
    log(`AWS Config aggregator ${source.name} (${management.options.region}) cannot be read (${view.gap.operation}: ${view.gap.code}): Config is a gap for every account`);
  }
  return { kind: 'aggregator', name: source.name, ...(source.trusted ? { trusted: true } : {}), shared: { client, view, member } };
}
