import Handlebars from 'handlebars';
import type { EvalContext } from './paths.js';

const hb = Handlebars.create();
hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
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
