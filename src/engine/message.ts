import { compileTemplate } from '../handlebars.js';
import type { EvalContext } from './paths.js';

/**
 * Renders a rule's message template (`{{id}}`, `{{props.user}}`, `{{join
 * props.trustedPrincipals}}`) against a context. Values come from AWS: an
 * object whose own `toString` or `valueOf` is not a function (JSON an intruder
 * shaped, in a policy document or a Config record) cannot be turned into text
 * and would throw; then the message is rendered again from a copy whose
 * objects always convert (`[object Object]`), so one hostile value never stops
 * an audit.
 */
export function renderMessage(template: string, ctx: EvalContext): string {
  const render = compileTemplate(template);
  try {
    return render(ctx).trim();
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return render(textSafe(ctx, new WeakMap())).trim();
  }
}

const asText = { [Symbol.toPrimitive]: () => '[object Object]' }[Symbol.toPrimitive];

/** A copy of plain data whose every object converts to text (own string keys kept, for lookups). */
function textSafe(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(textSafe(item, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const key of Object.keys(value)) out[key] = textSafe((value as Record<string, unknown>)[key], seen);
  Object.defineProperty(out, Symbol.toPrimitive, { value: asText, enumerable: false });
  return out;
}
