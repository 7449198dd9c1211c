/**
 * How many collectors run at once by default. Each region is an endpoint of
 * its own, with its own throttling, so the bound is on sockets and memory, not
 * on any one service: 32 lets ten regions run all their lists at once, and a
 * 20-region scan finish in about two round trips of its farthest region
 * (npm run bench). A module of its own, without the AWS SDK, so that --help
 * can show it at once.
 */
export const COLLECT_CONCURRENCY = 32;
