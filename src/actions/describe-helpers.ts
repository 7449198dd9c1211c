/** Small pieces several action modules share to describe a step or name what it holds. */
import type { StepTarget } from '../model/plan.js';
import type { Props } from '../model/resource.js';
import type { StepView } from './definition.js';

/** A prop as text, `?` when the resource did not say. */
export const s = (p: Props, key: string, fallback = '?'): string => {
  const v = p[key];
  return v === undefined || v === null ? fallback : String(v);
};

/** ` in REGION` for a regional target, nothing for a global one. */
export const where = (t: StepTarget): string => (t.region === 'global' ? '' : ` in ${t.region}`);

/** The user, group or role an attachment or inline policy belongs to. */
export const principal = (t: StepTarget): string => `${t.ref.principalType ?? '?'} ${t.ref.principalName ?? '?'}`;

/** Whether a step acts on something the principal `type`/`name` holds (a policy attachment, an inline policy). */
export const heldBy = (o: StepView, type: string, name: string): boolean => o.target.ref.principalType === type && o.target.ref.principalName === name;
