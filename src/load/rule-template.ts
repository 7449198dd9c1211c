import { helperNames, parseTemplate } from '../handlebars.js';
import { suggest } from './ajv-messages.js';
import { pathProblem, type PathScope } from './rule-paths.js';

/** A problem in a message template; `line` is the template's own line (1-based), when known. */
export interface TemplateProblem {
  line?: number;
  message: string;
}

/** Helpers whose every call takes exactly this many arguments, else Handlebars throws when it renders. */
const ARITY: Record<string, number> = { if: 1, unless: 1, each: 1, with: 1, lookup: 2 };
/** Helpers that exist but have no place in a message. */
const REFUSED: Record<string, string> = { log: 'log writes to the console (into a report on stdout), not into the message' };
/** Block helpers whose block sees another context than the rule's (an element, an object). */
const CONTEXT_CHANGING = new Set(['each', 'with']);

/**
 * Compiles a rule's message template as rendering will (the one Handlebars
 * set-up), and checks what compiling does not: every helper it calls exists and
 * gets the arguments it needs, no partials or decorators, and every path it
 * reads can hold a value in the rule's scope. Whatever passes renders without
 * throwing.
 */
export function templateProblems(source: string, scope: PathScope): TemplateProblem[] {
  let program: hbs.AST.Program;
  try {
    program = parseTemplate(source);
  } catch (e) {
    return [syntaxProblem(e)];
  }
  const helpers = helperNames().filter((h) => !(h in REFUSED));
  const problems: TemplateProblem[] = [];
  const report = (node: hbs.AST.Node, message: string): void => {
    problems.push({ line: node.loc?.start.line, message });
  };
  /** One frame per block: whether it still sees the rule's context, and the names its `as |x|` binds. */
  type Frame = { rootContext: boolean; params: readonly string[] };

  const checkPath = (p: hbs.AST.PathExpression, frames: Frame[]): void => {
    if (p.data) {
      // @root.x reads the rule's context; @index, @key, @first, @last come from each.
      if (p.parts[0] === 'root' && p.parts.length > 1) pathAt(p, p.parts.slice(1));
      return;
    }
    if (p.parts.length === 0) return; // {{this}}
    if (frames.some((f) => f.params.includes(p.parts[0]!))) return;
    const frame = frames[frames.length - 1 - p.depth];
    if (frame?.rootContext) pathAt(p, p.parts);
  };
  const pathAt = (p: hbs.AST.PathExpression, parts: string[]): void => {
    const problem = pathProblem(parts, scope);
    if (problem) report(p, `in the message: ${problem}`);
  };
  const checkExpression = (e: hbs.AST.Expression, frames: Frame[]): void => {
    if (e.type === 'PathExpression') checkPath(e as hbs.AST.PathExpression, frames);
    else if (e.type === 'SubExpression') checkCall(e as hbs.AST.SubExpression, frames, true);
  };
  /** A mustache, block or sub-expression: a helper call, or a path read. Returns the helper's name, if it is one. */
  const checkCall = (
    node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression,
    frames: Frame[],
    mustBeHelper = false,
  ): string | undefined => {
    const path = node.path;
    const args = node.params.length + (node.hash?.pairs.length ? 1 : 0);
    for (const param of node.params) checkExpression(param, frames);
    for (const pair of node.hash?.pairs ?? []) checkExpression(pair.value, frames);
    if (path.type !== 'PathExpression') return undefined; // a literal: {{"text"}}
    const p = path as hbs.AST.PathExpression;
    const simple = !p.data && p.depth === 0 && p.parts.length === 1 && !p.original.startsWith('this') && !p.original.startsWith('.');
    const name = simple ? p.parts[0]! : undefined;
    if (name !== undefined && Object.hasOwn(REFUSED, name)) {
      report(node, `in the message: ${REFUSED[name]}`);
      return name;
    }
    if (name !== undefined && helpers.includes(name)) {
      const want = ARITY[name];
      if (want !== undefined && node.params.length !== want) {
        report(node, `in the message: ${name} takes ${want} argument${want === 1 ? '' : 's'}, got ${node.params.length}`);
      }
      return name;
    }
    if (args > 0 || mustBeHelper) {
      const guess = name === undefined ? undefined : suggest(name, helpers);
      report(
        node,
        `in the message: unknown helper '${p.original}'${guess ? `, did you mean '${guess}'?` : ''} (helpers: ${helpers.join(', ')})`,
      );
      return undefined;
    }
    checkPath(p, frames);
    return undefined;
  };
  const walk = (prog: hbs.AST.Program | undefined, frames: Frame[]): void => {
    for (const statement of prog?.body ?? []) {
      switch (statement.type) {
        case 'MustacheStatement':
          checkCall(statement as hbs.AST.MustacheStatement, frames);
          break;
        case 'BlockStatement': {
          const block = statement as hbs.AST.BlockStatement;
          const helper = checkCall(block, frames);
          // {{#each}}/{{#with}} and a section over a path ({{#props.list}}) see another context inside.
          const inner = helper === undefined || CONTEXT_CHANGING.has(helper);
          walk(block.program, [...frames, { rootContext: !inner, params: block.program?.blockParams ?? [] }]);
          walk(block.inverse, frames);
          break;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement':
          report(statement, 'in the message: partials ({{> name}}) are not available in rule messages');
          break;
        case 'Decorator':
        case 'DecoratorBlock':
          report(statement, 'in the message: decorators ({{* name}}) are not available in rule messages');
          break;
        default:
          break; // text, comments
      }
    }
  };
  walk(program, [{ rootContext: true, params: [] }]);
  return problems;
}

/** Handlebars' parse error in one line: `Parse error on line 1 near '{{props.x': expecting 'ID', got 'INVALID'`. */
function syntaxProblem(e: unknown): TemplateProblem {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split('\n');
  const line = /on line (\d+)/.exec(lines[0] ?? '')?.[1] ?? /- (\d+):\d+$/.exec(lines[0] ?? '')?.[1];
  const near = lines.length >= 3 ? ` near '${lines[1]!.trim()}'` : '';
  const expecting = lines.find((l) => l.startsWith('Expecting'));
  const head = (lines[0] ?? '').replace(/:$/, '');
  const message = `the message template does not compile: ${head}${near}${expecting ? `: ${expecting.charAt(0).toLowerCase()}${expecting.slice(1)}` : ''}`;
  return { ...(line !== undefined ? { line: Number(line) } : {}), message };
}
