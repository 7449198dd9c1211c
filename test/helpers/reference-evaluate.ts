// The engine as it was before rules were compiled (engine/evaluate.ts at 1e19760): conditions interpreted per resource
// (evaluateCondition), a context built per resource and rule, exceptions tried one by one. Kept as the reference the
// compiled engine must equal (test/unit/engine/compiled-equivalence.test.ts); never used by the product.
import type { Baseline } from '../../src/model/baseline.js';
import { historyOf, type History } from '../../src/model/history.js';
import type { Inventory } from '../../src/model/inventory.js';
import { isTerminal, RESOURCE_TYPES, subjectOf, type Resource, type ResourceType } from '../../src/model/resource.js';
import { RELATION_READS, ruleTypes, type Relation, type Rule } from '../../src/model/rule.js';
import { severityRank } from '../../src/model/severity.js';
import type { Violation, ViolationStatus } from '../../src/model/violation.js';
import { evaluateCondition, type ConditionEnv } from '../../src/engine/condition.js';
import { DECLARATIONS } from '../../src/engine/declarations.js';
import type { Declared } from '../../src/engine/declared.js';
import { globToRegExp } from '../../src/engine/glob.js';
import { expiryTime } from '../../src/engine/exceptions.js';
import type { BaselineException } from '../../src/model/baseline.js';
import { fingerprint } from '../../src/engine/fingerprint.js';
import { readsHistory } from '../../src/engine/reads-history.js';
import { renderMessage } from '../../src/engine/message.js';
import type { EvalContext } from '../../src/engine/paths.js';

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

/** Per type, computed once: its live resources and which baseline entry each matched. */
interface TypeView {
  resources: Resource[];
  matchOf: Map<Resource, Declared | undefined>;
  entries: Declared[];
  matchCount: Map<Declared, number>;
  match(resource: Resource): Declared | undefined;
}

function buildView(type: ResourceType, resources: Resource[], baseline: Baseline): TypeView {
  const decl = DECLARATIONS[type](baseline, resources);
  const matchOf = new Map<Resource, Declared | undefined>();
  const matchCount = new Map<Declared, number>();
  for (const r of resources) {
    const d = decl.match(r);
    matchOf.set(r, d);
    if (d) matchCount.set(d, (matchCount.get(d) ?? 0) + 1);
  }
  return { resources, matchOf, entries: decl.entries, matchCount, match: decl.match };
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
export function referenceEvaluate({ inventory, baseline, rules, now, history }: EvaluateInput): EvaluateResult {
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
  const env: ConditionEnv = {
    now,
    isDeclared: (type, id) =>
      viewOf(type).match({ type, id, region: 'global', accountId: inventory.accountId, tags: {}, props: { name: id } }) !== undefined,
  };

  const violations: Violation[] = [];
  for (const rule of rules) {
    const fromHistory = readsHistory(rule);
    // Without a timeline a history rule is not judged at all (the commands say so), never passed.
    if (fromHistory && !history) continue;
    for (const type of ruleTypes(rule)) {
      evaluateRuleOnType(rule, type, viewOf(type), gapRegions, fromHistory ? history : undefined, (status, ctx, message, resourceId) =>
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
    // A gap in a global input (IAM) blinds a rule everywhere; a regional gap only its region.
    // A declaration for every region ('*') is blind wherever any region is.
    const everywhere = blind.size > 0 && (global || blind.has('global'));
    const isBlind = (region: string) => everywhere || blind.has(region) || (region === '*' && blind.size > 0);
    const holds = (ctx: EvalContext) => !rule.when || evaluateCondition(rule.when, ctx, env);
    const fail = (ctx: EvalContext, resourceId: string) => emit('fail', ctx, renderMessage(rule.message, ctx), resourceId);

    // A gap makes the rule unknown where it is blind, once per blind region: never a silent pass.
    for (const region of everywhere ? [global ? 'global' : '*'] : [...blind]) {
      const subject = everywhere ? `${prefix}/*` : `${prefix}/${region}/*`;
      const causes = inventory.gaps
        .filter((g) => needed.has(g.type) && (everywhere || g.region === region))
        .map((g) => `${g.operation}${everywhere && g.region !== 'global' ? ` in ${g.region}` : ''}: ${g.code}`);
      const timelineCauses = [
        ...(timelineBlind?.everywhere !== undefined ? [timelineBlind.everywhere] : []),
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

    for (const r of view.resources) {
      if (isBlind(r.region)) continue;
      const declared = view.matchOf.get(r);
      if (!judge.resources(declared)) continue;
      const ctx: EvalContext = {
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
      if (holds(ctx)) fail(ctx, r.id);
    }
  }

  const { violations: out, warnings } = applyExceptions(violations, baseline.exceptions ?? [], now);
  out.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.subject.localeCompare(b.subject),
  );
  return { violations: out, warnings };
}

/** exceptions.ts's applyExceptions as it was: every exception tried on every violation, in order. */
function applyExceptions(violations: Violation[], exceptions: BaselineException[], now: Date): { violations: Violation[]; warnings: string[] } {
  const warnings: string[] = [];
  const compiled = exceptions.map((e) => ({ e, re: globToRegExp(e.subject), live: now.getTime() < expiryTime(e.expires), used: false }));
  const out = violations.map((v) => {
    for (const x of compiled) {
      if ((x.e.rule !== v.ruleId && x.e.rule !== '*') || !x.re.test(v.subject)) continue;
      x.used = true;
      if (x.live) return { ...v, suppressed: { reason: x.e.reason, expires: x.e.expires } };
    }
    return v;
  });
  for (const x of compiled) {
    const label = `exception for rule ${x.e.rule} on ${x.e.subject} (${x.e.reason})`;
    if (!x.live && x.used) warnings.push(`${label} expired on ${x.e.expires}: its violations are reported again`);
    else if (!x.live) warnings.push(`${label} expired on ${x.e.expires} and matches nothing: remove it`);
    else if (!x.used) warnings.push(`${label} matches no violation: remove it if the risk is gone`);
  }
  return { violations: out, warnings };
}
