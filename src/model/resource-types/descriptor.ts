/**
 * What one resource type is, in one place: its descriptor. The registry
 * (./index.ts) lists them, and the model's tables (subjects, terminal states,
 * rule-path fields, selectable types, the services collected) are read from it.
 */

/**
 * What a path may do past a field: `value` is a string, number, boolean or
 * null (nothing past it); `list` a list of values (an index, `roles.0`);
 * `map` string keys to values (`tags.team`); `any` a free-form document
 * (a policy document: anything past it).
 */
export type FieldKind = 'value' | 'list' | 'map' | 'any';
export type Fields = Readonly<Record<string, FieldKind>>;

/** `declared.*` of a type declared by selectors under the baseline's `resources` (engine/selectors.ts). */
export const SELECTOR_FIELDS = { id: 'value', name: 'value', region: 'value', tags: 'map', max: 'value', description: 'value', index: 'value', configType: 'value' } as const satisfies Fields;

export interface ResourceDescriptor {
  /** Short prefix of its subjects: `user` in `user/alice`, `instance` in `instance/us-east-1/i-0abc`. */
  readonly prefix: string;
  /** The AWS service collected for it (a gap of a service's collector covers every type of that service). */
  readonly service: string;
  /** One global endpoint (IAM, the account): its resources live in region `global`. */
  readonly global: boolean;
  /**
   * Listed once for the whole account, not region by region, though its
   * resources live in regions (CloudTrail's ListTrails answers for every
   * region): its collector runs once per scan (collect/collectors.ts, ACCOUNT_COLLECTORS).
   */
  readonly accountWide?: boolean;
  /** The collector that yields it (collect/collectors.ts maps each to the types it emits). */
  readonly collector: string;
  /** `props.*`: what the collector fills, one entry per property of its props interface (`satisfies Record<keyof XProps, FieldKind>`). */
  readonly props: Fields;
  /**
   * Where a baseline declares it: a path into the baseline (`iam.users[].accessKeys`),
   * `resources` for a type declared by selectors (`resources.<type>`, see
   * engine/selectors.ts), or null when a baseline cannot declare it.
   */
  readonly baseline: string | null;
  /** For a type declared by selectors: what its list under the baseline's `resources` holds (the baseline schema's description). */
  readonly selectorsDoc?: string;
  /** For a type declared by selectors: the baseline schema's `$defs` entry its selectors follow, when not the plain `selector` (config.resource's must name a `configType`). */
  readonly selectorRef?: string;
  /** `declared.*`: the fields of the baseline entry a resource matched (engine/declarations.ts builds them). */
  readonly declared: Fields;
  /** States in which a resource is gone or going: the engine leaves it out of every rule. */
  readonly terminalStates?: readonly string[];
  /**
   * `service:resourceType` of its ARN, for a regional type whose collector
   * lists what the Tagging API also returns (the join drops the tagged copy).
   */
  readonly taggedAs?: string;
}
