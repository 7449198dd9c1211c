// Kept apart from collect.ts, which loads the AWS SDK, so that the CLI can show it in --help without loading it.
/**
 * Each region is an endpoint of its own, with its own throttling, so the bound
 * is on sockets and memory, not on any one service: 32 lets ten regions run all
 * their lists at once, and a 20-region scan finish in about two round trips of
 * its farthest region (npm run bench).
 */
export const DEFAULT_CONCURRENCY = 32;
