/**
 * The closed set of resource types rollcall knows, one descriptor each in
 * ./resource-types/ (subject prefix, service, global or regional, props and
 * declared fields, baseline section, collector, terminal states).
 */
import { RESOURCE_TYPE_NAMES, RESOURCE_TYPES, type ResourceType } from './resource-types/index.js';

export { RESOURCE_TYPE_NAMES, RESOURCE_TYPES, type ResourceType };

/**
 * States in which a resource is gone or going (AWS lists terminated instances
 * for about an hour). The engine leaves such resources out of every rule.
 */
export const TERMINAL_STATES: Partial<Record<ResourceType, readonly string[]>> = Object.fromEntries(
  RESOURCE_TYPE_NAMES.flatMap((t) => {
    const d = RESOURCE_TYPES[t];
    return 'terminalStates' in d ? [[t, d.terminalStates]] : [];
  }),
);

export function isTerminal(r: { type: ResourceType; props: Record<string, unknown> }): boolean {
  const states = TERMINAL_STATES[r.type];
  return states !== undefined && typeof r.props.state === 'string' && states.includes(r.props.state);
}

/** Plain, JSON-serialisable values only: never SDK objects. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };
export type Props = Record<string, Plain>;

export interface Resource {
  type: ResourceType;
  /** Identity within its type and region: a user name, a key id, `user/alice/arn:...` for an attachment. */
  id: string;
  arn?: string;
  /** `global` for IAM and the account. */
  region: string;
  accountId: string;
  tags: Record<string, string>;
  props: Props;
}

/** The stable, human-readable identity of a resource: `user/alice`, `accessKey/AKIA...`, `instance/us-east-1/i-0abc`. */
export function subjectOf(type: ResourceType, id: string, region: string): string {
  const def = RESOURCE_TYPES[type];
  return def.global ? `${def.prefix}/${id}` : `${def.prefix}/${region}/${id}`;
}
