/**
 * Reads an org report (`audit --org --previous FILE`, `report merge SHARD...`)
 * and checks it against its schema; an account's report or any other file is
 * named for what it is.
 */
import { InputError, type InputProblem } from '../errors.js';
import { ORG_REPORT_FORMAT, type OrgReport } from '../report/org-report.js';
import { schemaProblems } from './schemas.js';
import { problemAt, readDataFile, type DataFile } from './yaml-file.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadOrgReport(file: string): OrgReport {
  const data = readDataFile(file);
  const problems = checkOrgReport(data);
  if (problems.length > 0) throw new InputError(problems);
  return data.data as OrgReport;
}

export function checkOrgReport(file: DataFile): InputProblem[] {
  const root = file.data;
  if (!isObject(root) || root.kind !== 'org') {
    const what = isObject(root) && Object.hasOwn(root, 'violations') ? "an account's audit report" : 'not an org report';
    return [{ file: file.file, message: `${what}: expected the org-report.json (or a shard's org-report.shard-I-of-N.json) that rollcall audit --org --out-dir writes` }];
  }
  if (typeof root.format === 'number' && root.format !== ORG_REPORT_FORMAT) {
    return [problemAt(file, '/format', `org report format ${root.format} is not supported: this rollcall reads format ${ORG_REPORT_FORMAT}`)];
  }
  return schemaProblems('org-report', file);
}
