import type { Baseline } from '../model/baseline.js';
import { historyOf, type History } from '../model/history.js';
import type { Inventory } from '../model/inventory.js';
import { isTerminal, RESOURCE_TYPES, subjectOf, type Resource, type ResourceType } from '../model/resource.js';
import { RELATION_READS, ruleTypes, type Relation, type Rule } from '../model/rule.js';
import { severityRank } from '../model/severity.js';
import type { Violation, ViolationStatus } from '../model/violation.js';
import { compileCondition, conditionPaths, type CompiledCondition, type ConditionEnv } from './condition.js';
import { DECLARATIONS } from './declarations.js';
import type { Declared } from './declared.js';
import { applyExceptions } from './exceptions.js';
import { fingerprint } from './fingerprint.js';
import { readsHistory } from './reads-history.js';
import { renderMessage } from './message.js';
import type { EvalContext } from './paths.js';

export interface EvaluateInput {
  inventory: Inventory;
  baseline: Baseline;
  rules: Rule[];
  now: Date;
  /** A CloudTrail timeline joined to the inventory (timeline/join.ts): without it, rules that read `history.*` are not judged. */
  history?: History;
}

export interface EvaluateResult {
  violations: Violation[];
  warnings: string[];
}

/** Per type, computed once: its live resources and which baseline entry each matched (`matches[i]` is `resources[i]`'s). */
interface TypeView {
  resources: Resource[];
  matches: (Declared | undefined)[];
  entries: Declared[];
  matchCount: Map<Declared, number>;
  match(resource: Resource): Declared | undefined;
}

function buildView(type: ResourceType, resources: Resource[], baseline: Baseline): TypeView {
  const decl = DECLARATIONS[type](baseline, resources);
  const matches = new Array<Declared | undefined>(resources.length);
  const matchCount = new Map<Declared, number>();
  for (let i = 0; i < resources.length; i++) {
    const d = decl.match(resources[i]!);
    matches[i] = d;
    if (d) matchCount.set(d, (matchCount.get(d) ?? 0) + 1);
  }
  return { resources, matches, entries: decl.entries, matchCount, match: decl.match };
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

/**
 * Evaluates rules against an inventory and a baseline. Pure and linear in the
 * number of resources times rules: no I/O, `now` is the only clock. Resources
 * in a terminal state (terminated, cancelled) are left out: they are gone.
 */
export function evaluate({ inventory, baseline, rules, now, history }: EvaluateInput): EvaluateResult {
  const byType = new Map<ResourceType, Resource[]>();
  for (const r of inventory.resources) {
    if (isTerminal(r)) continue;
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
  }
  const gapRegions = new Map<ResourceType, Set<string>>();
  for (const g of inventory.gaps) {
    const set = gapRegions.get(g.type) ?? new Set<string>();
    set.add(g.region);
    gapRegions.set(g.type, set);
  }
  const views = new Map<ResourceType, TypeView>();
  const viewOf = (type: ResourceType): TypeView => {
    let v = views.get(type);
    if (!v) {
      v = buildView(type, byType.get(type) ?? [], baseline);
      views.set(type, v);
    }
    return v;
  };
  // Asked once per resource by some rules (an instance's roles): answered once per type and name.
  const declaredCache = new Map<ResourceType, Map<string, boolean>>();
  const env: ConditionEnv = {
    now,
    isDeclared: (type, id) => {
      let cache = declaredCache.get(type);
      if (!cache) declaredCache.set(type, (cache = new Map()));
      let answer = cache.get(id);
      if (answer === undefined) {
        answer = viewOf(type).match({ type, id, region: 'global', accountId: inventory.accountId, tags: {}, props: { name: id } }) !== undefined;
        cache.set(id, answer);
      }
      return answer;
    },
  };

  const violations: Violation[] = [];
  for (const rule of rules) {
    const fromHistory = readsHistory(rule);
    // Without a timeline a history rule is not judged at all (the commands say so), never passed.
    if (fromHistory && !history) continue;
    // Compiled once per rule: its paths split, its regexes built, what it reads of the baseline read once.
    const condition = rule.when ? compileCondition(rule.when, env, { baseline }) : undefined;
    for (const type of ruleTypes(rule)) {
      evaluateRuleOnType(rule, condition, type, viewOf(type), gapRegions, fromHistory ? history : undefined, (status, ctx, message, resourceId) =>
        violations.push({
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
          fingerprint: fingerprint(rule.id, inventory.accountId, ctx.subject),
          remediation: rule.remediation,
        }),
      );
    }
  }

  function evaluateRuleOnType(
    rule: Rule,
    condition: CompiledCondition | undefined,
    type: ResourceType,
    view: TypeView,
    gaps: Map<ResourceType, Set<string>>,
    /** For a history rule: the timeline, whose blind regions make it unknown there too. */
    timeline: History | undefined,
    /** `resourceId`: the resource's id, or the id its baseline entry names (a rule's `id` is that entry's subject). */
    emit: (status: ViolationStatus, ctx: EvalContext, message: string, resourceId: string) => void,
  ): void {
    const needed = new Set<ResourceType>([type, ...(rule.needs ?? [])]);
    const blind = new Set<string>();
    for (const t of needed) for (const region of gaps.get(t) ?? []) blind.add(region);
    const { global, prefix } = RESOURCE_TYPES[type];
    // A timeline blind everywhere (its window misses part of the incident) blinds the rule everywhere, like a global gap.
    const timelineBlind = timeline?.blind;
    if (timelineBlind?.everywhere !== undefined) blind.add('global');
    for (const region of timelineBlind?.regions.keys() ?? []) blind.add(region);
    // A timeline blind for global resources (it did not read where IAM's events are recorded) blinds a global type's rule.
    const globalBlind = global && timelineBlind?.global !== undefined ? timelineBlind.global : [];
    if (globalBlind.length > 0) blind.add('global');
    // A gap in a global input (IAM) blinds a rule everywhere; a regional gap only its region.
    // A declaration for every region ('*') is blind wherever any region is.
    const everywhere = blind.size > 0 && (global || blind.has('global'));
    const isBlind = (region: string) => everywhere || blind.has(region) || (region === '*' && blind.size > 0);
    const holds = (ctx: EvalContext) => !condition || condition(ctx);
    const fail = (ctx: EvalContext, resourceId: string) => emit('fail', ctx, renderMessage(rule.message, ctx), resourceId);

    // A gap makes the rule unknown where it is blind, once per blind region: never a silent pass.
    for (const region of everywhere ? [global ? 'global' : '*'] : [...blind]) {
      const subject = everywhere ? `${prefix}/*` : `${prefix}/${region}/*`;
      const causes = inventory.gaps
        .filter((g) => needed.has(g.type) && (everywhere || g.region === region))
        .map((g) => `${g.operation}${everywhere && g.region !== 'global' ? ` in ${g.region}` : ''}: ${g.code}`);
      const timelineCauses = [
        ...(timelineBlind?.everywhere !== undefined ? [timelineBlind.everywhere] : []),
        ...globalBlind,
        ...[...(timelineBlind?.regions ?? [])].filter(([r]) => everywhere || r === region).flatMap(([r, why]) => why.map((w) => `${w}${everywhere ? ` in ${r}` : ''}`)),
      ];
      const ctx: EvalContext = { id: '*', type, region, subject, tags: {}, props: {}, baseline };
      const parts = [
        ...(causes.length > 0 ? [`the inventory is incomplete (${[...new Set(causes)].join('; ')})`] : []),
        ...(timelineCauses.length > 0 ? [`the CloudTrail timeline is incomplete (${[...new Set(timelineCauses)].join('; ')})`] : []),
      ];
      emit('unknown', ctx, `Cannot evaluate: ${parts.join('; ')}`, '*');
    }

    const judge: Judge<'entries'> | Judge<'resources'> = JUDGES[rule.relation];
    if ('entries' in judge) {
      for (const entry of view.entries) {
        const matched = view.matchCount.get(entry) ?? 0;
        if (isBlind(entry.region)) continue;
        if (!judge.entries(entry, matched)) continue;
        const ctx: EvalContext = { id: entry.subject, type, region: entry.region, subject: entry.subject, tags: {}, props: {}, declared: entry.data, baseline, matched };
        if (holds(ctx)) fail(ctx, entry.id);
      }
      return;
    }

    // One scratch context for every resource, its shape fixed (every key present, `item` for `some`):
    // no object, subject or spread per resource and rule. A resource that fails gets a context of its own.
    const scratch: EvalContext = {
      id: '',
      type,
      region: '',
      subject: '',
      tags: {},
      props: {},
      arn: undefined,
      declared: undefined,
      baseline,
      item: undefined,
      matched: undefined,
      history: undefined,
    };
    const { resources, matches } = view;
    const anyBlind = blind.size > 0;
    const readsSubject = rule.when !== undefined && conditionPaths(rule.when).some((p) => p === 'subject' || p.startsWith('subject.'));
    for (let i = 0; i < resources.length; i++) {
      const r = resources[i]!;
      if (anyBlind && isBlind(r.region)) continue;
      const declared = matches[i];
      if (!judge.resources(declared)) continue;
      if (condition) {
        scratch.id = r.id;
        scratch.region = r.region;
        scratch.tags = r.tags;
        scratch.props = r.props;
        scratch.arn = r.arn ? r.arn : undefined;
        scratch.declared = declared?.data;
        scratch.history = timeline ? historyOf(timeline, r) : undefined;
        // The subject is a string built per resource: only for a condition that reads it (no built-in rule does).
        if (readsSubject) scratch.subject = subjectOf(r.type, r.id, r.region);
        if (!condition(scratch)) continue;
      }
      fail(resourceContext(r, declared, baseline, timeline), r.id);
    }
  }

  const { violations: out, warnings } = applyExceptions(violations, baseline.exceptions ?? [], now);
  // localeCompare, not an Intl.Collator's compare: in Node 20 it is the faster of the two (1.9 s against 2.6 s for 600,000 violations).
  out.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.subject.localeCompare(b.subject),
  );
  return { violations: out, warnings };
}
