/**
 * Where the IAM collector's modules put what they find: resources (global, in
 * this account), gaps for what could not be read (with the error's code and a
 * redacted message) and notes; `result()` returns them in a stable order.
 */
import type { Gap } from '../model/inventory.js';
import { RESOURCE_TYPE_NAMES, type Props, type Resource, type ResourceType } from '../model/resource.js';
import type { TypeOfCollector } from '../model/resource-types/index.js';
import { errorCode as sharedErrorCode, errorMessage } from '../answers/error-info.js';
import { ReportError } from './credential-report.js';
import type { CollectorResult } from './iam-result.js';

export function errorCode(err: unknown): string {
  return err instanceof ReportError ? err.code : sharedErrorCode(err);
}

/** The types the IAM collector yields: those whose descriptor names the `iam` collector. */
export type IamType = TypeOfCollector<'iam'>;

/** Collects resources and gaps, in a stable order. */
export class Sink {
  readonly resources: Resource[] = [];
  readonly gaps: Gap[] = [];
  readonly notes: string[] = [];

  constructor(private readonly accountId: string) {}

  add<P extends object>(type: IamType, id: string, props: P, arn?: string, tags: Record<string, string> = {}): void {
    const r: Resource = { type, id, region: 'global', accountId: this.accountId, tags, props: props as unknown as Props };
    if (arn) r.arn = arn;
    this.resources.push(r);
  }

  gap(types: IamType[], operation: string, err: unknown, prefix = ''): void {
    for (const type of types) {
      this.gaps.push({ type, region: 'global', operation, code: errorCode(err), message: prefix + errorMessage(err) });
    }
  }

  result(): CollectorResult {
    const order = (t: ResourceType) => RESOURCE_TYPE_NAMES.indexOf(t);
    const resources = [...this.resources].sort((a, b) => order(a.type) - order(b.type) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { resources, gaps: this.gaps, notes: this.notes };
  }
}
