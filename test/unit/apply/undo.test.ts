import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/apply.js';
import { undoJournal } from '../../../src/apply/undo.js';
import { makePlan, planStep } from '../../helpers/plans.js';
import { ACCOUNT } from '../../helpers/resources.js';
import { fakeWorld, journalLines, NO_CLIENTS, OPERATOR, tempDir } from './fakes.js';

const key = planStep('deactivateAccessKey', 'iam.accessKey', 'AKIAMALLORY000000001', { ref: { user: 'mallory' } });
const quarantine = planStep('quarantineUser', 'iam.user', 'mallory', { dependsOn: [key.id] });
const deleteKey = planStep('deleteAccessKey', 'iam.accessKey', 'AKIAMALLORY000000001', { ref: { user: 'mallory' }, dependsOn: [quarantine.id] });
const detach = planStep('detachPolicy', 'iam.policyAttachment', 'user/eve/arn:aws:iam::aws:policy/AdministratorAccess');

async function applied() {
  const dir = tempDir();
  const planFile = path.join(dir, 'plan.json');
  const world = fakeWorld();
  world.gone.add(detach.id); // already gone: nothing to undo
  const plan = makePlan([key, quarantine, deleteKey, detach]);
  await applyPlan(plan, { clients: NO_CLIENTS, planFile, identity: OPERATOR, executors: world.executors, concurrency: 1 });
  world.calls.length = 0;
  const out: string[] = [];
  const undo = (o = {}) => undoJournal({ clients: NO_CLIENTS, journalFile: `${planFile}.journal`, identity: OPERATOR, executors: world.executors, out: (l) => out.push(l), ...o });
  return { world, undo, out, journalFile: `${planFile}.journal` };
}

describe('undo', () => {
  it('reverses the reversible completed steps, last first, and lists what cannot be undone', async () => {
    const a = await applied();
    const result = await a.undo();
    expect(a.world.calls).toEqual([`undo ${quarantine.id} mallory`, `undo ${key.id} AKIAMALLORY000000001`]);
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      [quarantine.id, 'undone'],
      [key.id, 'undone'],
      [deleteKey.id, 'irreversible'],
      [detach.id, 'unchanged'],
    ]);
    expect(result.exitCode).toBe(0);
    const lines = journalLines(`${a.journalFile}.undo`);
    expect(lines[0]).toMatchObject({ type: 'header', kind: 'undo', source: a.journalFile, accountId: ACCOUNT });
    expect(lines.filter((l) => l.type === 'step').map((l) => [l.id, l.result])).toEqual([
      [quarantine.id, 'undone'],
      [key.id, 'undone'],
    ]);
  });

  it('resumes from its own journal: a step reversed before is not reversed again', async () => {
    const a = await applied();
    a.world.failing.set(`undo ${key.id}`, 'Throttling');
    expect((await a.undo()).exitCode).toBe(1);
    a.world.failing.clear();
    a.world.calls.length = 0;
    const result = await a.undo();
    expect(a.world.calls).toEqual([`undo ${key.id} AKIAMALLORY000000001`]);
    expect(result.steps.map((s) => s.status)).toEqual(['resumed', 'undone', 'irreversible', 'unchanged']);
    expect(result.exitCode).toBe(0);
  });

  it('refuses credentials of another account, and a declined confirmation changes nothing', async () => {
    const a = await applied();
    await expect(a.undo({ identity: { ...OPERATOR, account: '999999999999' } })).rejects.toThrow(`journal is for account ${ACCOUNT}, credentials are for 999999999999: refusing to undo`);
    const declined = await a.undo({ confirm: async () => false });
    expect(declined).toMatchObject({ aborted: true, exitCode: 1 });
    expect(a.world.calls).toEqual([]);
  });

  it('refuses to reverse an undo journal, or a journal that is not there', async () => {
    const a = await applied();
    await a.undo();
    await expect(a.undo({ journalFile: `${a.journalFile}.undo` })).rejects.toThrow('is an undo journal: undo reverses an apply journal');
    await expect(a.undo({ journalFile: '/nonexistent/plan.json.journal' })).rejects.toThrow('no journal at /nonexistent/plan.json.journal');
  });
});
