import type { Baseline } from '../model/baseline.js';
import { historyOf, type History } from '../model/history.js';
import type { Gap } from '../model/inventory.js';
import { isTerminal, RESOURCE_TYPES, subjectOf, type Resource, type ResourceType } from '../model/resource.js';
import { RELATION_READS, ruleTypes, type Relation, type Rule } from '../model/rule.js';
import type { Violation, ViolationStatus } from '../model/violation.js';
import { compileCondition, conditionPaths, type CompiledCondition, type ConditionEnv } from './condition.js';
import { DECLARATIONS, DECLARED_FROM_RESOURCES } from './declarations.js';
import type { Declarations, Declared } from './declared.js';
import { fingerprint } from './fingerprint.js';
import { renderMessage } from './message.js';
import type { EvalContext } from './paths.js';
import { readsHistory } from './reads-history.js';

/**
 * One evaluation of the rules against an account, fed one resource at a time.
 * Each resource is judged as it comes (`add`) by the rules that judge
 * resources, and then not held: what outlives it is a count per baseline
 * entry and per region and type, and its violations. `finish` judges what
 * needs every resource: the baseline's entries (missing, declared) from those
 * counts, the types whose declarations are read from their own resources
 * (DECLARED_FROM_RESOURCES: held whole, judged at the end), and the regions a
 * gap leaves unknown. Pure: no I/O, `now` is the only clock.
 *
 * The resource pass can be split: each part (a worker thread reading part of
 * a saved inventory) judges its resources and hands over its `tally`, which
 * the evaluation that finishes `absorb`s; held types' resources are passed to
 * that one's `add`, in the inventory's order.
 */
export interface EvaluationSetup {
  accountId: string;
  gaps: readonly Gap[];
  baseline: Baseline;
  rules: readonly Rule[];
  now: Date;
  /** A CloudTrail timeline joined to the inventory (timeline/join.ts): without it, rules that read `history.*` are not judged. */
  history?: History;
}

/** What a resource pass found, to be absorbed by the evaluation that finishes (plain data: it crosses threads). */
export interface Tally {
  /** Resources read, terminal ones included. */
  resources: number;
  /** Live resources, per region and then type. */
  found: Record<string, Record<string, number>>;
  /** Per type, how many live resources matched each baseline entry, by the entry's position in the type's declarations. */
  matched: Record<string, number[]>;
  violations: Violation[];
}

/** How a relation picks what it judges: baseline entries (with how many resources each claims) or resources (with the entry each matched). */
type Judge<J extends 'entries' | 'resources'> = J extends 'entries'
  ? { entries: (entry: Declared, matched: number) => boolean }
  : { resources: (declared: Declared | undefined) => boolean };

/** What each relation judges, of the kind RELATION_READS says: a new relation does not compile until it is here. */
const JUDGES: { [R in Relation]: Judge<(typeof RELATION_READS)[R]['judges']> } = {
  unexpected: { resources: (declared) => declared === undefined },
  missing: { entries: (entry, matched) => entry.concrete && matched === 0 },
  changed: { resources: (declared) => declared !== undefined },
  always: { resources: () => true },
  declared: { entries: () => true },
};

/** Where one rule cannot judge one type: the regions (or everywhere) a gap or a blind timeline leaves unknown. */
interface Blindness {
  /** Blind in every region (a gap in a global input, or a timeline blind everywhere). */
  everywhere: boolean;
  regions: Set<string>;
  /** The unknown violations' causes, per region (or `*` / `global` when everywhere). */
  unknown: { region: string; subject: string; message: string }[];
}

function blindnessOf(rule: Rule, type: ResourceType, gaps: readonly Gap[], timeline: History | undefined): Blindness {
  const needed = new Set<ResourceType>([type, ...(rule.needs ?? [])]);
  const blind = new Set<string>();
  for (const g of gaps) if (needed.has(g.type)) blind.add(g.region);
  const { global, prefix } = RESOURCE_TYPES[type];
  // A timeline blind everywhere (its window misses part of the incident) blinds the rule everywhere, like a global gap.
  const timelineBlind = timeline?.blind;
  if (timelineBlind?.everywhere !== undefined) blind.add('global');
  for (const region of timelineBlind?.regions.keys() ?? []) blind.add(region);
  // A timeline blind for global resources (it did not read where IAM's events are recorded) blinds a global type's rule.
  const globalBlind = global && timelineBlind?.global !== undefined ? timelineBlind.global : [];
  if (globalBlind.length > 0) blind.add('global');
  // A gap in a global input (IAM) blinds a rule everywhere; a regional gap only its region.
  const everywhere = blind.size > 0 && (global || blind.has('global'));
  // A gap makes the rule unknown where it is blind, once per blind region: never a silent pass.
  const unknown = (everywhere ? [global ? 'global' : '*'] : [...blind]).map((region) => {
    const subject = everywhere ? `${prefix}/*` : `${prefix}/${region}/*`;
    const causes = gaps
      .filter((g) => needed.has(g.type) && (everywhere || g.region === region))
      .map((g) => `${g.operation}${everywhere && g.region !== 'global' ? ` in ${g.region}` : ''}: ${g.code}`);
    const timelineCauses = [
      ...(timelineBlind?.everywhere !== undefined ? [timelineBlind.everywhere] : []),
      ...globalBlind,
      ...[...(timelineBlind?.regions ?? [])].filter(([r]) => everywhere || r === region).flatMap(([r, why]) => why.map((w) => `${w}${everywhere ? ` in ${r}` : ''}`)),
    ];
    const parts = [
      ...(causes.length > 0 ? [`the inventory is incomplete (${[...new Set(causes)].join('; ')})`] : []),
      ...(timelineCauses.length > 0 ? [`the CloudTrail timeline is incomplete (${[...new Set(timelineCauses)].join('; ')})`] : []),
    ];
    return { region, subject, message: `Cannot evaluate: ${parts.join('; ')}` };
  });
  return { everywhere, regions: blind, unknown };
}

/** Whether a resource or entry in `region` is where the rule is blind. A declaration for every region ('*') is blind wherever any region is. */
function isBlind(b: Blindness, region: string): boolean {
  return b.everywhere || b.regions.has(region) || (region === '*' && b.regions.size > 0);
}

/** A rule, compiled once for the evaluation. */
interface RulePlan {
  rule: Rule;
  condition: CompiledCondition | undefined;
  /** For a rule that reads history: the timeline (whose blind regions make it unknown there too). */
  timeline: History | undefined;
  /** Whether its condition reads `subject` (a string built per resource: only then). */
  readsSubject: boolean;
}

/** One rule that judges resources, on one type. */
interface ResourceCheck {
  plan: RulePlan;
  judge: (declared: Declared | undefined) => boolean;
  blindness: Blindness;
  /** One scratch context for every resource, its shape fixed (every key present): no object per resource and rule. */
  scratch: EvalContext;
}

/** Per type, computed once: its declarations, how many resources matched each, and the checks its resources go through. */
interface TypePlan {
  declarations: Declarations;
  position: Map<Declared, number>;
  matched: number[];
  checks: ResourceCheck[];
}

export class Evaluation {
  private readonly setup: EvaluationSetup;
  private readonly plans: RulePlan[] = [];
  private readonly rulesByType = new Map<ResourceType, RulePlan[]>();
  private readonly typePlans = new Map<string, TypePlan | null>();
  private readonly declarations = new Map<ResourceType, Declarations>();
  private readonly blindness = new Map<RulePlan, Map<ResourceType, Blindness>>();
  private readonly held = new Map<ResourceType, Resource[]>();
  private violations: Violation[] = [];
  private resources = 0;
  private readonly found = new Map<string, Map<string, number>>();

  constructor(setup: EvaluationSetup) {
    this.setup = setup;
    const { baseline, now, history } = setup;
    // Asked once per resource by some rules (an instance's roles): answered once per type and name, from the baseline.
    const declaredCache = new Map<ResourceType, Map<string, boolean>>();
    const env: ConditionEnv = {
      now,
      isDeclared: (type, id) => {
        let cache = declaredCache.get(type);
        if (!cache) declaredCache.set(type, (cache = new Map()));
        let answer = cache.get(id);
        if (answer === undefined) {
          answer = this.declarationsOf(type).match({ type, id, region: 'global', accountId: setup.accountId, tags: {}, props: { name: id } }) !== undefined;
          cache.set(id, answer);
        }
        return answer;
      },
    };
    for (const rule of setup.rules) {
      const fromHistory = readsHistory(rule);
      // Without a timeline a history rule is not judged at all (the commands say so), never passed.
      if (fromHistory && !history) continue;
      const plan: RulePlan = {
        rule,
        // Compiled once per rule: its paths split, its regexes built, what it reads of the baseline read once.
        condition: rule.when ? compileCondition(rule.when, env, { baseline }) : undefined,
        timeline: fromHistory ? history : undefined,
        readsSubject: rule.when !== undefined && conditionPaths(rule.when).some((p) => p === 'subject' || p.startsWith('subject.')),
      };
      this.plans.push(plan);
      for (const type of ruleTypes(rule)) {
        const list = this.rulesByType.get(type);
        if (list) list.push(plan);
        else this.rulesByType.set(type, [plan]);
      }
    }
  }

  /** A type's declarations from the baseline alone (a type declared from its resources is matched by id here, as isDeclared asks). */
  private declarationsOf(type: ResourceType): Declarations {
    let d = this.declarations.get(type);
    if (!d) this.declarations.set(type, (d = DECLARATIONS[type](this.setup.baseline, [])));
    return d;
  }

  private blindnessFor(plan: RulePlan, type: ResourceType): Blindness {
    let byType = this.blindness.get(plan);
    if (!byType) this.blindness.set(plan, (byType = new Map()));
    let b = byType.get(type);
    if (!b) byType.set(type, (b = blindnessOf(plan.rule, type, this.setup.gaps, plan.timeline)));
    return b;
  }

  /** The plan of a type no rule names is null: its resources are counted and nothing else. */
  private typePlan(type: ResourceType): TypePlan | null {
    let p = this.typePlans.get(type);
    if (p !== undefined) return p;
    const rules = this.rulesByType.get(type);
    if (!rules) {
      this.typePlans.set(type, null);
      return null;
    }
    const declarations = this.declarationsOf(type);
    p = {
      declarations,
      position: new Map(declarations.entries.map((d, i) => [d, i])),
      matched: new Array<number>(declarations.entries.length).fill(0),
      checks: rules.flatMap((plan) => {
        const judge = JUDGES[plan.rule.relation];
        return 'resources' in judge ? [{ plan, judge: judge.resources, blindness: this.blindnessFor(plan, type), scratch: scratchContext(type, this.setup.baseline) }] : [];
      }),
    };
    this.typePlans.set(type, p);
    return p;
  }

  /** Judges one resource by the rules that judge resources (or holds it, for a type declared from its resources). Terminal resources are counted, never judged: they are gone. */
  add(r: Resource): void {
    this.resources++;
    if (isTerminal(r)) return;
    let byType = this.found.get(r.region);
    if (!byType) this.found.set(r.region, (byType = new Map()));
    byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    if (DECLARED_FROM_RESOURCES.has(r.type)) {
      const list = this.held.get(r.type);
      if (list) list.push(r);
      else this.held.set(r.type, [r]);
      return;
    }
    const plan = this.typePlan(r.type);
    if (!plan) return;
    const declared = plan.declarations.match(r);
    if (declared !== undefined) plan.matched[plan.position.get(declared)!]!++;
    for (const check of plan.checks) this.judge(check, r, declared);
  }

  private judge(check: ResourceCheck, r: Resource, declared: Declared | undefined): void {
    const { plan, blindness, scratch } = check;
    if (blindness.regions.size > 0 && isBlind(blindness, r.region)) return;
    if (!check.judge(declared)) return;
    const { condition, timeline } = plan;
    if (condition) {
      scratch.id = r.id;
      scratch.region = r.region;
      scratch.tags = r.tags;
      scratch.props = r.props;
      scratch.arn = r.arn ? r.arn : undefined;
      scratch.declared = declared?.data;
      scratch.history = timeline ? historyOf(timeline, r) : undefined;
      if (plan.readsSubject) scratch.subject = subjectOf(r.type, r.id, r.region);
      if (!condition(scratch)) return;
    }
    this.fail(plan.rule, r.type, resourceContext(r, declared, this.setup.baseline, timeline), r.id);
  }

  private emit(rule: Rule, type: ResourceType, status: ViolationStatus, ctx: EvalContext, message: string, resourceId: string): void {
    this.violations.push({
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      status,
      subject: ctx.subject,
      resourceType: type,
      resourceId,
      region: ctx.region,
      ...(ctx.arn ? { arn: ctx.arn } : {}),
      message,
      fingerprint: fingerprint(rule.id, this.setup.accountId, ctx.subject),
      remediation: rule.remediation,
    });
  }

  private fail(rule: Rule, type: ResourceType, ctx: EvalContext, resourceId: string): void {
    this.emit(rule, type, 'fail', ctx, renderMessage(rule.message, ctx), resourceId);
  }

  /** How many violations are found and not yet handed over. */
  get pending(): number {
    return this.violations.length;
  }

  /** The violations found so far, handed over and forgotten (a worker sends them as it goes). */
  takeViolations(): Violation[] {
    const out = this.violations;
    this.violations = [];
    return out;
  }

  /** What this resource pass found: for the evaluation that finishes. */
  tally(): Tally {
    const matched: Record<string, number[]> = {};
    for (const [type, plan] of this.typePlans) if (plan) matched[type] = plan.matched;
    const found: Record<string, Record<string, number>> = {};
    for (const [region, byType] of this.found) found[region] = Object.fromEntries(byType);
    return { resources: this.resources, found, matched, violations: this.takeViolations() };
  }

  /** Another part's resource pass, counted as if its resources had been added here. */
  absorb(t: Tally): void {
    this.resources += t.resources;
    for (const [region, byType] of Object.entries(t.found)) {
      let mine = this.found.get(region);
      if (!mine) this.found.set(region, (mine = new Map()));
      for (const [type, n] of Object.entries(byType)) mine.set(type, (mine.get(type) ?? 0) + n);
    }
    for (const [type, counts] of Object.entries(t.matched)) {
      const plan = this.typePlan(type as ResourceType);
      if (!plan || plan.matched.length !== counts.length) throw new Error(`a resource pass counted ${counts.length} entries of ${type}, this one ${plan?.matched.length ?? 0}`);
      for (let i = 0; i < counts.length; i++) plan.matched[i]! += counts[i]!;
    }
    for (const v of t.violations) this.violations.push(v);
  }

  /** Resources added (or absorbed), terminal ones included. */
  get resourceCount(): number {
    return this.resources;
  }

  /** Live resources per region and type. */
  foundCounts(): ReadonlyMap<string, ReadonlyMap<string, number>> {
    return this.found;
  }

  /** The held resources of the types declared from their resources (iam.accessKey), in the order added. */
  heldResources(): Resource[] {
    return [...this.held.values()].flat();
  }

  /**
   * Judges what needs every resource (the unknown regions, the baseline's
   * entries, the held types) and returns every violation, in no set order
   * (evaluate.ts sorts them, exceptions applied).
   */
  finish(): Violation[] {
    const { baseline } = this.setup;
    // A held type's declarations, read from its resources, and what each resource matched: once per type, whatever the rules on it.
    const heldViews = new Map<ResourceType, HeldView>();
    const heldView = (type: ResourceType): HeldView => {
      let view = heldViews.get(type);
      if (!view) heldViews.set(type, (view = buildHeldView(type, baseline, this.held.get(type) ?? [])));
      return view;
    };
    for (const plan of this.plans) {
      const { rule } = plan;
      const judge: Judge<'entries'> | Judge<'resources'> = JUDGES[rule.relation];
      for (const type of ruleTypes(rule)) {
        const blindness = this.blindnessFor(plan, type);
        for (const u of blindness.unknown) {
          const ctx: EvalContext = { id: '*', type, region: u.region, subject: u.subject, tags: {}, props: {}, baseline };
          this.emit(rule, type, 'unknown', ctx, u.message, '*');
        }
        const held = DECLARED_FROM_RESOURCES.has(type);
        if ('entries' in judge) {
          const { entries, counts } = held ? heldView(type) : this.entryCounts(type);
          for (let i = 0; i < entries.length; i++) {
            const entry = entries[i]!;
            const matched = counts[i]!;
            if (isBlind(blindness, entry.region)) continue;
            if (!judge.entries(entry, matched)) continue;
            const ctx: EvalContext = { id: entry.subject, type, region: entry.region, subject: entry.subject, tags: {}, props: {}, declared: entry.data, baseline, matched };
            if (!plan.condition || plan.condition(ctx)) this.fail(rule, type, ctx, entry.id);
          }
        } else if (held) {
          const { resources, matches } = heldView(type);
          const check: ResourceCheck = { plan, judge: judge.resources, blindness, scratch: scratchContext(type, baseline) };
          for (let i = 0; i < resources.length; i++) this.judge(check, resources[i]!, matches[i]);
        }
      }
    }
    return this.takeViolations();
  }

  private entryCounts(type: ResourceType): { entries: Declared[]; counts: number[] } {
    const plan = this.typePlan(type)!;
    return { entries: plan.declarations.entries, counts: plan.matched };
  }
}

/** A held type at the end: its resources, the entries declared from them, the entry each resource matched, and how many each entry claims. */
interface HeldView {
  resources: Resource[];
  entries: Declared[];
  matches: (Declared | undefined)[];
  counts: number[];
}

function buildHeldView(type: ResourceType, baseline: Baseline, resources: Resource[]): HeldView {
  const declarations = DECLARATIONS[type](baseline, resources);
  const matches = resources.map((r) => declarations.match(r));
  const counts = new Map<Declared, number>();
  for (const d of matches) if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
  return { resources, entries: declarations.entries, matches, counts: declarations.entries.map((e) => counts.get(e) ?? 0) };
}

function scratchContext(type: ResourceType, baseline: Baseline): EvalContext {
  return { id: '', type, region: '', subject: '', tags: {}, props: {}, arn: undefined, declared: undefined, baseline, item: undefined, matched: undefined, history: undefined };
}

/**
 * The context a rule sees for one resource, as the engine always built it
 * (arn, declared and history only when there are). Built only for a resource
 * that fails, for its message: conditions read a scratch context instead.
 */
function resourceContext(r: Resource, declared: Declared | undefined, baseline: Baseline, timeline: History | undefined): EvalContext {
  return {
    id: r.id,
    type: r.type,
    region: r.region,
    subject: subjectOf(r.type, r.id, r.region),
    tags: r.tags,
    props: r.props,
    ...(r.arn ? { arn: r.arn } : {}),
    ...(declared ? { declared: declared.data } : {}),
    baseline,
    ...(timeline ? { history: historyOf(timeline, r) } : {}),
  };
}
