/**
 * The AWS operations a module can call, read from its source: every
 * `XxxCommand` and `paginateXxx` it imports from an `@aws-sdk/client-*`
 * package, followed through its relative imports (apply, answers, collect,
 * aws), as `prefix:Operation` with the service's IAM action prefix. A static
 * upper bound of what the module may call; the call counter gives what it did.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const PREFIX: Record<string, string> = {
  iam: 'iam',
  ec2: 'ec2',
  lambda: 'lambda',
  sts: 'sts',
  'resource-groups-tagging-api': 'tag',
  cloudtrail: 'cloudtrail',
  s3: 's3',
  health: 'health',
  'cost-explorer': 'ce',
  'config-service': 'config',
  organizations: 'organizations',
};

const FOLLOW = /^src\/(apply|answers|collect|aws|timeline|scan|org)\//;

export function sdkCallsOf(entry: string, root = process.cwd()): Set<string> {
  const calls = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
      const [, names = '', from = ''] = m;
      const client = /^@aws-sdk\/client-(.+)$/.exec(from)?.[1];
      if (client !== undefined) {
        const prefix = PREFIX[client];
        if (prefix === undefined) throw new Error(`${file}: no IAM action prefix known for @aws-sdk/client-${client}`);
        for (const raw of names.split(',')) {
          const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!;
          const op = /^([A-Z][A-Za-z0-9]*)Command$/.exec(name)?.[1] ?? /^paginate([A-Z][A-Za-z0-9]*)$/.exec(name)?.[1];
          if (op !== undefined) calls.add(`${prefix}:${op}`);
        }
        continue;
      }
      if (!from.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), from.replace(/\.js$/, '.ts')));
      if (FOLLOW.test(target)) visit(target);
    }
  };
  visit(entry);
  return calls;
}
