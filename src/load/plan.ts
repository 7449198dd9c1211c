import type { InputProblem } from '../errors.js';
import { ACTIONS } from '../actions/registry.js';
import { digestOf } from '../model/digest.js';
import { PLAN_FORMAT, PLAN_FORMATS, type Plan, type PlanFormat } from '../model/plan.js';
import { planGraphProblems } from '../plan/graph.js';
import { schemaProblems, sortProblems } from './schemas.js';
import { loadChecked, problemAt, type DataFile } from './yaml-file.js';

/**
 * Reads a plan file and checks it before anything acts on it: its format
 * version, its schema, that its steps agree with the action catalogue and
 * form no cycle, and that its digest still matches (nobody changed it after
 * it was made). Every problem is reported at once, as one InputError.
 */
export function loadPlan(file: string): Plan {
  return upgraded(loadChecked<Plan>(file, checkPlan));
}

/**
 * A format 1 plan in today's shape, once its digest was checked: its warnings
 * (plain strings then) get code `unclassified`. Its digest and format stay
 * as they were: the journal and `--approve` name the plan that was reviewed.
 */
function upgraded(plan: Plan): Plan {
  if (plan.format !== 1 || !plan.warnings) return plan;
  const warnings = plan.warnings as unknown[];
  return { ...plan, warnings: warnings.map((w) => (typeof w === 'string' ? { code: 'unclassified' as const, text: w } : (w as { code: 'unclassified'; text: string }))) };
}

export function checkPlan(file: DataFile): InputProblem[] {
  const root = file.data;
  const format = typeof root === 'object' && root !== null ? (root as { format?: unknown }).format : undefined;
  if (typeof format === 'number' && !(PLAN_FORMATS as readonly number[]).includes(format)) {
    // A plan from another rollcall: its other fields may mean something else, so this is the one problem to report.
    return [problemAt(file, '/format', `plan format ${format} is not supported: this rollcall reads formats ${PLAN_FORMATS.join(' and ')}; make the plan again with it`)];
  }
  const schema = schemaProblems('plan', file);
  if (schema.length > 0) return schema;
  return sortProblems(planProblems(file, root as Plan));
}

/** What a step holds in each format: reasons and the support case only since format 2, and there always. */
function formatProblems(format: PlanFormat, step: Plan['steps'][number]): { at: string; message: string }[] {
  if (format === 1) {
    return (['reasons', 'support'] as const).filter((k) => step[k] !== undefined).map((k) => ({ at: `/${k}`, message: `is not part of a format 1 plan` }));
  }
  if (step.action === 'manualReview' && step.reasons === undefined) return [{ at: '', message: 'a manualReview step needs its reasons' }];
  if (step.action === 'manualContactSupport' && step.support === undefined) return [{ at: '', message: 'a manualContactSupport step needs its support case' }];
  if (step.action !== 'manualReview' && step.reasons !== undefined) return [{ at: '/reasons', message: 'only a manualReview step has reasons' }];
  if (step.action !== 'manualContactSupport' && step.support !== undefined) return [{ at: '/support', message: 'only a manualContactSupport step has a support case' }];
  return [];
}

/** What the schema cannot say: ids unique, dependencies known and acyclic, steps as the catalogue defines them, the digest intact. */
function planProblems(file: DataFile, plan: Plan): InputProblem[] {
  const problems: InputProblem[] = [];
  const at = (pointer: string, message: string) => problems.push(problemAt(file, pointer, message));
  plan.steps.forEach((step, i) => {
    const spec = ACTIONS[step.action];
    if (spec.targets.length > 0 && !spec.targets.includes(step.target.type)) {
      at(`/steps/${i}/target/type`, `a ${step.action} step cannot act on ${step.target.type} (it acts on ${spec.targets.join(', ')})`);
    }
    if (step.reversible !== spec.reversible) at(`/steps/${i}/reversible`, `must be ${spec.reversible} for ${step.action}`);
    if (step.destructive !== spec.destructive) at(`/steps/${i}/destructive`, `must be ${spec.destructive} for ${step.action}`);
    if (spec.manual && step.instructions === undefined) at(`/steps/${i}`, `a manual step (${step.action}) needs instructions`);
    for (const p of formatProblems(plan.format, step)) at(`/steps/${i}${p.at}`, p.message);
  });
  (plan.warnings ?? []).forEach((w, i) => {
    if ((typeof w === 'string') !== (plan.format === 1)) at(`/warnings/${i}`, plan.format === 1 ? 'must be a string in a format 1 plan' : `must be an object with a code and a text in a format ${PLAN_FORMAT} plan`);
  });
  for (const p of planGraphProblems(plan.steps)) {
    if (p.kind === 'duplicate-id') at(`/steps/${p.step}/id`, `duplicate step id '${p.id}' (first used by step ${p.first + 1})`);
    else if (p.kind === 'unknown-dependency') at(`/steps/${p.step}/dependsOn/${p.dependency}`, `unknown step '${p.missing}': no step of this plan has that id`);
    else at(`/steps/${p.step}/dependsOn`, `dependency cycle: ${p.cycle.join(' -> ')}`);
  }
  const { digest, ...body } = plan;
  if (digestOf(body) !== digest) at('/digest', 'the plan was changed after it was made (digest mismatch)');
  return problems;
}
