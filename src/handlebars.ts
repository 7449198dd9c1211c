import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { COMPILED_AHEAD } from './compiled-templates.js';

/**
 * The one Handlebars set-up for rule messages and reports: no HTML escaping
 * (the output is text and Markdown), and the helpers both use.
 */
const hb = Handlebars.create();
hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
// For conditional wording: `{{#if (or (eq props.policyName "a") (eq props.policyName "b"))}}`. The last argument is Handlebars' options.
hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Compiles a template once per distinct source text. */
export function compileTemplate(source: string): HandlebarsTemplateDelegate {
  let fn = compiled.get(source);
  if (!fn) {
    fn = hb.compile(source, { noEscape: true, strict: false });
    compiled.set(source, fn);
  }
  return fn;
}

/** Helpers Handlebars calls itself, on a missing helper: never to be named in a template. */
const INTERNAL_HELPERS = new Set(['helperMissing', 'blockHelperMissing']);

/** The helpers a template may call: Handlebars' own (if, each, with...) and ours. */
export function helperNames(): string[] {
  return Object.keys(hb.helpers).filter((name) => !INTERNAL_HELPERS.has(name));
}

/**
 * Parses and compiles a template now, as rendering would later, with the same
 * options: throws Handlebars' own error for what it cannot compile. A template
 * this checkout's tests compiled so (compiled-templates.ts: the built-in rules'
 * messages, with this Handlebars version) is only parsed: compiling the 51
 * built-in messages cost ~50 ms at every run.
 */
export function parseTemplate(source: string): hbs.AST.Program {
  if (!COMPILED_AHEAD.has(templateKey(source))) checkCompiles(source);
  return hb.parse(source);
}

/** Compiles a template as rendering would (the same options) and drops the code: throws what Handlebars cannot compile. */
export function checkCompiles(source: string): void {
  hb.precompile(source, { noEscape: true, strict: false });
}

/** A template's key in compiled-templates.ts: the Handlebars version and the source text. */
export function templateKey(source: string): string {
  return createHash('sha256').update(`${Handlebars.VERSION}\0${source}`).digest('hex');
}
