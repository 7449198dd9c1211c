import { readFileSync } from 'node:fs';
import { InputError, type InputProblem } from '../errors.js';
import { REPORT_FORMAT, type AuditReport } from '../report/audit-report.js';
import { detectKind, FILE_KINDS, unknownKindMessage } from './file-kind.js';
import { schemaProblems } from './schemas.js';
import { problemAt, readDataFile, type DataFile } from './yaml-file.js';

const NOT_A_REPORT = 'not a JSON audit report (write one with rollcall audit --format json --out FILE)';

/** The Markdown report starts with its title. */
function isMarkdownReport(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').startsWith('# rollcall audit');
  } catch {
    return false;
  }
}

/**
 * Reads a JSON audit report (`audit --previous FILE`) and checks it against
 * the report schema; any other kind of file is named for what it is.
 */
export function loadReport(file: string): AuditReport {
  let data: DataFile;
  try {
    data = readDataFile(file);
  } catch (e) {
    if (e instanceof InputError && isMarkdownReport(file)) throw InputError.at({ file }, `${NOT_A_REPORT}: this is a Markdown report`);
    throw e;
  }
  const kind = detectKind(data.data);
  if (kind !== 'report') {
    const what = kind ? `this is ${FILE_KINDS[kind]}` : unknownKindMessage(data.data);
    throw InputError.at({ file }, `${NOT_A_REPORT}: ${what}`);
  }
  const problems = checkReport(data);
  if (problems.length > 0) throw new InputError(problems);
  return data.data as AuditReport;
}

export function checkReport(file: DataFile): InputProblem[] {
  const root = file.data;
  const format = typeof root === 'object' && root !== null ? (root as { format?: unknown }).format : undefined;
  if (typeof format === 'number' && format !== REPORT_FORMAT) {
    // A report of another rollcall: its other fields may mean something else, so this is the one problem to report.
    return [problemAt(file, '/format', `report format ${format} is not supported: this rollcall reads format ${REPORT_FORMAT}`)];
  }
  return schemaProblems('report', file);
}
