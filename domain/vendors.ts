/** Recognising the vendor behind an Okta app, and where its admin re-authenticates. */
import type { Vendor } from './types';

/** Okta integration-network app names (`app.name`) of the reference vendors. */
const VENDOR_BY_APP_NAME: Record<string, Vendor> = {
  docusign: 'docusign',
  githubcloud: 'github',
  github_enterprise_cloud: 'github',
};

export function vendorOf(appName: string): Vendor {
  return VENDOR_BY_APP_NAME[appName.toLowerCase()] ?? 'generic';
}

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
