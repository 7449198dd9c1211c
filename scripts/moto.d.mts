export interface MotoServer {
  endpoint: string;
  pid: number | undefined;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startMoto(options?: { timeoutMs?: number }): Promise<MotoServer>;
export function resetMoto(endpoint: string): Promise<void>;
export function seedMotoRandom(endpoint: string, seed: number): Promise<void>;
