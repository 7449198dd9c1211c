import Handlebars from 'handlebars';
import type { EvalContext } from './paths.js';

const hb = Handlebars.create();
hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
// For conditional wording: `{{#if (or (eq props.policyName "a") (eq props.policyName "b"))}}`. The last argument is Handlebars' options.
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Renders a rule's message template (`{{id}}`, `{{props.user}}`, `{{join props.trustedPrincipals}}`) against a context. */
export function renderMessage(template: string, ctx: EvalContext): string {
  let fn = compiled.get(template);
  if (!fn) {
    fn = hb.compile(template, { noEscape: true, strict: false });
    compiled.set(template, fn);
  }
  return fn(ctx).trim();
}
