/**
 * OAuth scopes of classic GitHub tokens. A parent scope grants its children (admin:org grants
 * read:org), which is how GitHub decides whether a token may call an endpoint.
 */

const CHILDREN: Record<string, readonly string[]> = {
  'admin:org': ['write:org', 'read:org', 'manage_runners:org'],
  'write:org': ['read:org'],
  user: ['read:user', 'user:email', 'user:follow'],
  repo: ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events'],
};

export function grants(held: readonly string[], wanted: string): boolean {
  const seen = new Set<string>();
  const visit = (scope: string): boolean => {
    if (scope === wanted) return true;
    if (seen.has(scope)) return false;
    seen.add(scope);
    return (CHILDREN[scope] ?? []).some(visit);
  };
  return held.some(visit);
}

export function grantsAny(held: readonly string[], wanted: readonly string[]): boolean {
  return wanted.some((w) => grants(held, w));
}

/** The X-OAuth-Scopes / X-Accepted-OAuth-Scopes header format: comma and space separated. */
export function scopeHeader(scopes: readonly string[]): string {
  return scopes.join(', ');
}
