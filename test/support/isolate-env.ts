/**
 * Tests see none of the operator's real settings: no Okta credentials the SDK would pick up
 * (OKTA_CLIENT_*), no Temporal profile. Each test passes what it needs explicitly.
 */
for (const key of Object.keys(process.env)) {
  if (/^(OKTA_|TEMPORAL_)/.test(key)) delete process.env[key];
}
