/**
 * Normalises an IAM principal the way AWS itself does when it stores a trust
 * policy: a bare account id becomes the account's root ARN. Everything else
 * (ARNs, service and federated principals, `*`) is kept as written.
 */
export function normalizePrincipal(principal: string): string {
  return /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal;
}
