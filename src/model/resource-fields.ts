/**
 * The fields a rule can read by path, per resource type: `props.*` (what the
 * collectors fill, typed by iam-props.ts and regional-props.ts) and
 * `declared.*` (what engine/declarations.ts hands a rule for a baseline entry).
 * Rules are checked against these lists when they load, so a misspelt path is
 * an error instead of a condition that silently never holds. Each type's lists
 * live in its descriptor (./resource-types/), where the compiler checks the
 * props list against its props interface.
 */
import type { Fields } from './resource-types/descriptor.js';
import { RESOURCE_TYPE_NAMES, RESOURCE_TYPES, type ResourceType } from './resource-types/index.js';

export type { FieldKind, Fields } from './resource-types/descriptor.js';

const fieldsOf = (pick: (t: ResourceType) => Fields): Record<ResourceType, Fields> =>
  Object.fromEntries(RESOURCE_TYPE_NAMES.map((t) => [t, pick(t)])) as Record<ResourceType, Fields>;

/** `props.*`, per resource type. */
export const PROPS: Record<ResourceType, Fields> = fieldsOf((t) => RESOURCE_TYPES[t].props);

/**
 * `declared.*`, per resource type: the fields of the baseline entry a resource
 * matched, as engine/declarations.ts builds them (a unit test holds the two
 * together). A type the baseline cannot declare has none.
 */
export const DECLARED: Record<ResourceType, Fields> = fieldsOf((t) => RESOURCE_TYPES[t].declared);
