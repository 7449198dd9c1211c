/**
 * Which accounts an org run audits: the organization's ACTIVE accounts, from
 * Organizations ListAccounts (in the management account or a delegated
 * administrator; 20 a page), or the ids given with --accounts.
 */
import { ListAccountsCommand, type Account } from '@aws-sdk/client-organizations';
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

const isActive = (a: Account) => (a.State ?? a.Status) === 'ACTIVE';

/**
 * The organization's ACTIVE accounts, sorted by id. Without the list nothing
 * can be audited, so a failure is the run's (exit 3), not an account's gap.
 */
export async function listActiveAccounts(clients: AwsClients): Promise<OrgAccount[]> {
  const accounts: OrgAccount[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await clients.organizations().send(new ListAccountsCommand({ MaxResults: PAGE, ...(token ? { NextToken: token } : {}) }));
      for (const a of page.Accounts ?? []) {
        if (!a.Id || !ACCOUNT_ID.test(a.Id) || !isActive(a)) continue;
        accounts.push({ id: a.Id, ...(a.Name ? { name: a.Name } : {}) });
      }
      token = page.NextToken;
    } while (token);
  } catch (err) {
    throw new AwsFailure(`cannot list the organization's accounts (organizations:ListAccounts, from the management account or a delegated administrator): ${errorCode(err)}: ${errorMessage(err)}`);
  }
  return byId(accounts);
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
