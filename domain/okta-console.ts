/** Where in the Okta Admin Console the admin re-authenticates an app. */

/**
 * The app's page in the Okta Admin Console. For https://acme.okta.com the console is
 * https://acme-admin.okta.com; other hosts (custom domains, the simulator) are used as they are.
 */
export function provisioningUrl(orgUrl: string, appName: string, appId: string): string {
  const url = new URL(orgUrl);
  const [sub, ...rest] = url.hostname.split('.');
  if (rest.length >= 2 && /^(okta|oktapreview|okta-emea|okta-gov|okta\.mil)$/.test(rest[0] ?? '') && !sub?.endsWith('-admin')) {
    url.hostname = [`${sub}-admin`, ...rest].join('.');
  }
  return `${url.origin}/admin/app/${appName}/instance/${appId}/`;
}
