/**
 * What `baseline init` and `baseline update` read from an inventory, indexed
 * by principal, and what in it a security engineer must look at before
 * accepting it (the things the compromise rules exist to catch). Pure: no I/O.
 */
import type { Inventory } from '../model/inventory.js';
import { isTerminal, type Resource } from '../model/resource.js';
import { unknownRegion } from '../load/aws-regions.js';

/** The names the baseline schema admits for users, groups, policies and inline policies (roles add `*`, a glob: never from AWS). */
const PRINCIPAL_NAME = /^[A-Za-z0-9_+=,.@-]{1,128}$/;
const ROLE_NAME = /^[A-Za-z0-9_+=,.@-]{1,64}$/;
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,}$/;
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

export const validPrincipalName = (s: string): boolean => PRINCIPAL_NAME.test(s);
export const validRoleName = (s: string): boolean => ROLE_NAME.test(s);
export const validKeyId = (s: string): boolean => ACCESS_KEY_ID.test(s);
export const validRegion = (s: string): boolean => REGION_SHAPE.test(s) && unknownRegion(s) === undefined;

export type PrincipalKind = 'user' | 'group' | 'role';

export interface PrincipalPolicies {
  /** Managed policies attached: ARNs for AWS managed ones, names for customer managed ones. */
  policies: string[];
  inlinePolicies: string[];
  /** Why this principal is dangerous, one sentence each (empty when it is not). */
  dangers: string[];
  /** Remarks a reviewer should read that are not dangers. */
  notes: string[];
}

export interface UserFacts extends PrincipalPolicies {
  name: string;
  console: boolean;
  mfa: boolean;
  keys: { id: string; active: boolean }[];
  groups: string[];
}

export interface RoleFacts extends PrincipalPolicies {
  name: string;
  trustedPrincipals: string[];
  /** Trusts `*`: anyone, in any AWS account (unless a condition the principal list does not show narrows it). */
  trustsAnyone: boolean;
}

export interface GroupFacts extends PrincipalPolicies {
  name: string;
}

export interface PolicyFacts {
  name: string;
  dangers: string[];
}

export interface RootFacts {
  mfa: boolean;
  accessKeys: boolean;
}

export interface AccountFacts {
  accountId: string;
  users: Map<string, UserFacts>;
  roles: Map<string, RoleFacts>;
  groups: Map<string, GroupFacts>;
  policies: Map<string, PolicyFacts>;
  root?: RootFacts;
  /** Regional resources no rule treats as gone, by type. */
  regional: Resource[];
  /** Regions (valid names) something lives in, sorted, with how many resources each. */
  regionsInUse: Map<string, number>;
  /** What cannot be declared as found, one sentence each (names the schema refuses). */
  undeclarable: string[];
}

/** An IAM name, quoted for a comment: JSON escapes (no line break, no control character survives), and the line separators JSON keeps. */
export function quoted(s: string): string {
  return JSON.stringify(s).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const text = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));

/** The account id of an ARN principal (`arn:aws:iam::111111111111:root`), if it names one. */
export function principalAccount(principal: string): string | undefined {
  return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

function emptyPolicies(): PrincipalPolicies {
  return { policies: [], inlinePolicies: [], dangers: [], notes: [] };
}

export function accountFacts(inventory: Inventory): AccountFacts {
  const facts: AccountFacts = {
    accountId: inventory.accountId,
    users: new Map(),
    roles: new Map(),
    groups: new Map(),
    policies: new Map(),
    regional: [],
    regionsInUse: new Map(),
    undeclarable: [],
  };
  const byType = (t: Resource['type']) => inventory.resources.filter((r) => r.type === t);
  const customerAllowsAll = new Set<string>();

  for (const r of byType('iam.policy')) {
    const name = text(r.props.name ?? r.id);
    if (r.props.allowsAll === true) customerAllowsAll.add(name);
    if (!validPrincipalName(name)) {
      facts.undeclarable.push(`customer policy ${quoted(name)}: not a valid IAM name`);
      continue;
    }
    facts.policies.set(name, {
      name,
      dangers: r.props.allowsAll === true ? [`customer policy ${quoted(name)} allows every action on every resource (*:*)`] : [],
    });
  }
  for (const r of byType('iam.user')) {
    const name = text(r.id);
    if (!validPrincipalName(name)) {
      facts.undeclarable.push(`user ${quoted(name)}: not a valid IAM user name, its keys, password and policies too`);
      continue;
    }
    facts.users.set(name, { name, console: false, mfa: r.props.mfaActive === true, keys: [], groups: [], ...emptyPolicies() });
  }
  for (const r of byType('iam.role')) {
    const name = text(r.id);
    if (!validRoleName(name)) {
      facts.undeclarable.push(`role ${quoted(name)}: not a valid IAM role name`);
      continue;
    }
    const trusted = Array.isArray(r.props.trustedPrincipals) ? r.props.trustedPrincipals.map(text).filter((p) => p !== '') : [];
    const role: RoleFacts = { name, trustedPrincipals: [...new Set(trusted)].sort(), trustsAnyone: trusted.includes('*'), ...emptyPolicies() };
    if (role.trustsAnyone) {
      role.dangers.push(
        `role ${quoted(name)} trusts "*": any principal of any AWS account may assume it, unless a condition the principal list does not show narrows it. ` +
          'Declared as found; iam-role-trusts-anyone (critical) reports it all the same, until its trust is narrowed, it is deleted, or an exception with a reason and an expiry accepts it',
      );
    }
    const outside = [...new Set(trusted.map(principalAccount).filter((a): a is string => a !== undefined && a !== inventory.accountId))].sort();
    if (outside.length > 0) {
      role.dangers.push(
        `role ${quoted(name)} trusts account${outside.length > 1 ? 's' : ''} ${outside.join(', ')}, outside this one: rollcall cannot tell whether ${outside.length > 1 ? 'they are' : 'it is'} yours (your organization's) or an intruder's`,
      );
    }
    facts.roles.set(name, role);
  }
  for (const r of byType('iam.group')) {
    const name = text(r.id);
    if (!validPrincipalName(name)) {
      facts.undeclarable.push(`group ${quoted(name)}: not a valid IAM group name`);
      continue;
    }
    facts.groups.set(name, { name, ...emptyPolicies() });
  }

  const principal = (kind: PrincipalKind, name: string): PrincipalPolicies | undefined =>
    kind === 'user' ? facts.users.get(name) : kind === 'group' ? facts.groups.get(name) : facts.roles.get(name);

  for (const r of byType('iam.policyAttachment')) {
    const p = principal(r.props.principalType as PrincipalKind, text(r.props.principalName));
    if (!p) continue;
    const arn = text(r.props.policyArn);
    const name = text(r.props.policyName);
    const awsManaged = r.props.awsManaged === true;
    // Customer policies by name (as a reader knows them), when the name is one the baseline can declare; AWS managed ones by ARN.
    const ref = awsManaged || !facts.policies.has(name) ? arn : name;
    if (ref === '') continue;
    p.policies.push(ref);
    if (arn === ADMINISTRATOR_ACCESS) p.dangers.push(`AdministratorAccess is attached: it allows every action on every resource (*:*)`);
    else if (!awsManaged && customerAllowsAll.has(name)) p.dangers.push(`customer policy ${quoted(name)}, attached, allows every action on every resource (*:*)`);
  }
  for (const r of byType('iam.inlinePolicy')) {
    const p = principal(r.props.principalType as PrincipalKind, text(r.props.principalName));
    if (!p) continue;
    const name = text(r.props.policyName);
    if (!validPrincipalName(name)) {
      facts.undeclarable.push(`inline policy ${quoted(name)} of ${text(r.props.principalType)} ${quoted(text(r.props.principalName))}: not a valid policy name`);
      continue;
    }
    p.inlinePolicies.push(name);
    if (r.props.allowsAll === true) p.dangers.push(`inline policy ${quoted(name)} allows every action on every resource (*:*)`);
    if (r.props.denyOnly === true && (name === 'rollcall-quarantine' || name === 'rollcall-revoke-sessions')) {
      p.notes.push(`inline policy ${quoted(name)} is rollcall's own containment (deny only): remove it from here once it is lifted`);
    }
  }
  for (const r of byType('iam.accessKey')) {
    const u = facts.users.get(text(r.props.user));
    if (!u) continue;
    if (!validKeyId(r.id)) {
      facts.undeclarable.push(`access key ${quoted(r.id)} of user ${quoted(u.name)}: not an access key id`);
      continue;
    }
    u.keys.push({ id: r.id, active: r.props.status === 'Active' });
  }
  for (const r of byType('iam.loginProfile')) {
    const u = facts.users.get(text(r.props.user ?? r.id));
    if (u) u.console = true;
  }
  for (const r of byType('iam.groupMembership')) {
    const u = facts.users.get(text(r.props.user));
    const g = text(r.props.group);
    if (!u) continue;
    if (validPrincipalName(g)) u.groups.push(g);
  }
  for (const u of facts.users.values()) {
    if (u.console && !u.mfa) u.dangers.push(`user ${quoted(u.name)} can sign in to the console without MFA`);
  }
  for (const p of [...facts.users.values(), ...facts.groups.values(), ...facts.roles.values()]) {
    p.policies = [...new Set(p.policies)].sort();
    p.inlinePolicies = [...new Set(p.inlinePolicies)].sort();
  }
  for (const u of facts.users.values()) {
    u.groups = [...new Set(u.groups)].sort();
    u.keys.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  const root = byType('account.root')[0];
  if (root) facts.root = { mfa: root.props.mfaEnabled === true, accessKeys: root.props.accessKeysPresent === true };

  for (const r of inventory.resources) {
    if (isTerminal(r)) continue;
    // AWS Config's resources are declared by their Config type (baseline/regional.ts), IAM's global ones too; they
    // put no region in use, since every region has a default VPC that Config records.
    if (r.type === 'config.resource') {
      facts.regional.push(r);
      continue;
    }
    if (r.type === 'config.resourceType') continue;
    if (r.region === 'global') continue;
    facts.regional.push(r);
    if (validRegion(r.region)) facts.regionsInUse.set(r.region, (facts.regionsInUse.get(r.region) ?? 0) + 1);
    else facts.undeclarable.push(`${r.type} ${quoted(r.id)}: its region ${quoted(r.region)} is not an AWS region`);
  }
  facts.regionsInUse = new Map([...facts.regionsInUse].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return facts;
}

/** Names sorted the same way everywhere, so that two inits of one account give one file. */
export function byName<T extends { name: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
