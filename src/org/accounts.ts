/**
 * Which accounts an org run audits: the organization's ACTIVE accounts, from
 * Organizations ListAccounts (in the management account or a delegated
 * administrator; 20 a page), or the ids given with --accounts. And which
 * organization it is (DescribeOrganization), for the run's fingerprint.
 */
import { DescribeOrganizationCommand, ListAccountsCommand, type Account } from '@aws-sdk/client-organizations';
import type { AwsClients } from '../aws/clients.js';
import { errorCode, errorMessage } from '../answers/error-info.js';
import { AwsFailure, InputError } from '../errors.js';

/** One account to audit. `name` is the organization's (attacker-writable: escape it wherever it is shown). */
export interface OrgAccount {
  id: string;
  name?: string;
}

export const ACCOUNT_ID = /^\d{12}$/;

/** ListAccounts' largest page. */
const PAGE = 20;

/** An account as ListAccounts returns it: its state too (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED). */
export interface ListedAccount extends OrgAccount {
  state: string;
}

const stateOf = (a: Account) => String(a.State ?? a.Status ?? 'UNKNOWN');

/**
 * Every account the organization lists, whatever its state, each once, sorted
 * by id. Without the list nothing can be audited, so a failure is the run's
 * (exit 3), not an account's gap; so is a NextToken the listing has already
 * given (a service that pages in a circle would otherwise loop forever, and
 * the run could not know its accounts).
 */
export async function listAccounts(clients: AwsClients): Promise<ListedAccount[]> {
  const accounts = new Map<string, ListedAccount>();
  const tokens = new Set<string>();
  let token: string | undefined;
  const failed = (why: string) => new AwsFailure(`cannot list the organization's accounts (organizations:ListAccounts, from the management account or a delegated administrator): ${why}`);
  try {
    do {
      const page = await clients.organizations().send(new ListAccountsCommand({ MaxResults: PAGE, ...(token ? { NextToken: token } : {}) }));
      for (const a of page.Accounts ?? []) {
        if (!a.Id || !ACCOUNT_ID.test(a.Id)) continue;
        const state = stateOf(a);
        const seen = accounts.get(a.Id);
        // Listed twice (pages that moved under us): one account; ACTIVE if either listing says so.
        if (seen && (seen.state === 'ACTIVE' || state !== 'ACTIVE')) continue;
        accounts.set(a.Id, { id: a.Id, ...(a.Name ? { name: a.Name } : {}), state });
      }
      token = page.NextToken;
      if (token !== undefined && tokens.has(token)) throw failed(`the listing gave NextToken '${token.slice(0, 64)}' twice: its pages go round in a circle, so the run cannot know its accounts`);
      if (token !== undefined) tokens.add(token);
    } while (token);
  } catch (err) {
    if (err instanceof AwsFailure) throw err;
    throw failed(`${errorCode(err)}: ${errorMessage(err)}`);
  }
  return byId([...accounts.values()]);
}

/** An organization's id as AWS writes it. */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * The id of the caller's organization (`o-...`), from Organizations
 * DescribeOrganization, which any account of the organization may call: the
 * management account, a delegated administrator, a member. Throws what the
 * call threw, or an AwsFailure when the answer holds no id of that form.
 */
export async function organizationId(clients: AwsClients): Promise<string> {
  const answer = await clients.organizations().send(new DescribeOrganizationCommand({}));
  const id = answer.Organization?.Id;
  if (typeof id !== 'string' || !ORGANIZATION_ID.test(id)) throw new AwsFailure(`organizations:DescribeOrganization returned no organization id (${JSON.stringify(id ?? null).slice(0, 40)})`);
  return id;
}

/** The organization's ACTIVE accounts, sorted by id (see listAccounts). */
export async function listActiveAccounts(clients: AwsClients): Promise<OrgAccount[]> {
  return (await listAccounts(clients)).filter((a) => a.state === 'ACTIVE').map(({ state: _, ...a }) => a);
}

/** `--accounts`: comma-separated, the option repeated, or both; each a 12-digit id, each once. */
export function parseAccounts(values: readonly string[]): OrgAccount[] {
  const ids = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const bad = ids.filter((id) => !ACCOUNT_ID.test(id));
  if (bad.length > 0) throw InputError.at({ file: '--accounts' }, `not an account id: ${bad.map((b) => `'${b}'`).join(', ')} (12 digits)`);
  if (ids.length === 0) throw InputError.at({ file: '--accounts' }, 'names no account');
  return byId([...new Set(ids)].map((id) => ({ id })));
}

export function byId<T extends { id: string }>(accounts: T[]): T[] {
  return accounts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
