export const ACCOUNT: string;
export function sizes(total?: number): { users: number; keys: number; instances: number; tagged: number };
export function baselineYaml(total?: number, options?: { undeclared?: boolean }): string;
export function generate(dir: string, options?: { total?: number; format?: 'json' | 'json-compact' | 'jsonl' | 'jsonl.gz'; undeclared?: boolean }): Promise<{ inventory: string; baseline: string }>;
