import Handlebars from 'handlebars';

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
 * options: throws Handlebars' own error for what it cannot compile.
 */
export function parseTemplate(source: string): hbs.AST.Program {
  hb.precompile(source, { noEscape: true, strict: false });
  return hb.parse(source);
}
