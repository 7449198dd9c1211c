import { compileTemplate } from '../handlebars.js';
import type { EvalContext } from './paths.js';

/** Renders a rule's message template (`{{id}}`, `{{props.user}}`, `{{join props.trustedPrincipals}}`) against a context. */
export function renderMessage(template: string, ctx: EvalContext): string {
  return compileTemplate(template)(ctx).trim();
}
