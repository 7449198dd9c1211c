import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { parseDocument } from 'yaml';
import { callerIdentity } from '../answers/caller-identity.js';
import { carryEdits } from '../baseline/merge.js';
import { baselineText, initBaseline } from '../baseline/init.js';
import { updateBaseline } from '../baseline/update.js';
import { collectInventory } from '../collect/collect.js';
import { InputError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { checkBaseline, loadBaseline } from '../load/baseline.js';
import { readInventory } from '../load/inventory.js';
import type { Inventory } from '../model/inventory.js';
import { packagePath } from '../paths.js';
import { writeFileAtomic } from '../write-file.js';
import { checkOutputFile } from './arguments.js';
import { makeLog, parseCollection, parseNow, withCollection, type CollectionOptions } from './options.js';

export interface BaselineInitOptions extends CollectionOptions {
  inventory?: string;
  out?: string;
  force?: boolean;
}

export interface BaselineUpdateOptions extends CollectionOptions {
  inventory?: string;
  write?: boolean;
}

/** The account as a saved inventory or, live, as `collect` reads it; `expect` refuses another account. */
async function readAccount(o: CollectionOptions & { inventory?: string }, expect?: { account: string; file: string }): Promise<Inventory> {
  const mismatch = (account: string, source: string) =>
    InputError.at(
      { file: expect!.file, path: '/account/id' },
      `the baseline is for account ${expect!.account}, but ${source} is for account ${account}: refusing to update one account's baseline from another`,
    );
  if (o.inventory) {
    const inventory = await readInventory(o.inventory);
    if (expect && inventory.accountId !== expect.account) throw mismatch(inventory.accountId, `the inventory ${o.inventory}`);
    return inventory;
  }
  const collection = parseCollection(o);
  return withCollection(o, collection, parseNow(undefined), async (clients, options) => {
    const caller = await callerIdentity(clients);
    if (expect && caller.account !== expect.account) throw mismatch(caller.account, 'the credentials in use');
    return collectInventory(clients, options, caller);
  });
}

/** What rollcall writes must read back as a valid baseline: anything else is a bug here, never the user's to fix. */
function selfCheck(text: string): void {
  const data = parseDocument(text).toJS();
  const problems = checkBaseline({ file: '<generated baseline>', data, locate: () => undefined, locateAll: (t) => t.map(() => undefined) });
  if (problems.length > 0) throw new Error(`the baseline written would not be valid: ${problems.map((p) => `${p.path ?? ''}: ${p.message}`).join('; ')}`);
}

export async function runBaselineInit(o: BaselineInitOptions): Promise<ExitCode> {
  const log = makeLog(o);
  if (o.out) {
    checkOutputFile('--out', o.out);
    if (existsSync(o.out) && !o.force) throw InputError.at({ file: '--out' }, `'${o.out}' exists: refusing to overwrite it (add --force, or see \`rollcall baseline update\`)`);
  }
  const inventory = await readAccount(o);
  const { document, attention } = initBaseline(inventory, { schemaUrl: pathToFileURL(packagePath('schemas', 'baseline.schema.json')).href });
  const text = baselineText(document);
  selfCheck(text);
  if (o.out) writeFileAtomic(o.out, text);
  else process.stdout.write(text);
  for (const a of attention) log(a);
  if (inventory.gaps.length > 0) log(`incomplete: ${inventory.gaps.length} gap(s) in the inventory; what could not be read is not declared`);
  if (o.out) log(`baseline written to ${o.out}: audit it with \`rollcall audit -b ${o.out}\``);
  return inventory.gaps.length > 0 ? EXIT.incomplete : EXIT.clean;
}

export async function runBaselineUpdate(file: string, o: BaselineUpdateOptions): Promise<ExitCode> {
  const log = makeLog(o);
  const baseline = loadBaseline(file);
  const original = readFileSync(file, 'utf8');
  const document = parseDocument(original);
  const before = document.clone();
  const inventory = await readAccount(o, { account: baseline.account.id, file });
  const { changes, attention } = updateBaseline(document, inventory);
  const carried = carryEdits(original, before, document);
  for (const a of attention) log(a);
  if (carried.text === original) {
    log(`${file} already accepts the account as found: nothing to change`);
    return inventory.gaps.length > 0 ? EXIT.incomplete : EXIT.clean;
  }
  selfCheck(carried.text);
  if (!carried.kept) log('warning: the edits could not be carried onto the file line by line; the file is printed anew (comments and order kept, spacing normalised)');
  process.stdout.write(createTwoFilesPatch(file, file, original, carried.text, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY }));
  for (const c of changes) log(c);
  if (o.write) {
    writeFileAtomic(file, carried.text);
    log(`${file} updated: ${changes.length} change(s)`);
  } else {
    log(`${changes.length} change(s) shown, not written: add --write to apply them to ${file}`);
  }
  return inventory.gaps.length > 0 ? EXIT.incomplete : EXIT.clean;
}
