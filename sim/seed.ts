/**
 * The demo world: a DocuSign app and a GitHub Enterprise Cloud app whose API credentials went bad
 * after people were provisioned. Ids are fixed so the demo and docs print the same ones every run.
 */
import type { OktaSim } from './okta';

export interface SeededApp {
  appId: string;
  label: string;
  /** App users left in syncState ERROR by failed pushes (re-pushable). */
  pushFailed: string[];
  /** Users unassigned while the credential was bad: gone from Okta, still active at the vendor. */
  deprovisionFailed: string[];
}

export interface SeededDemo {
  docusign: SeededApp;
  github: SeededApp;
  /** Okta user ids by login. */
  users: Record<string, string>;
}

const PEOPLE = {
  maya: { id: '00ue4Ivq67fUs7qfCT7n', firstName: 'Maya', lastName: 'Patel' },
  daniel: { id: '00ux9weBc7G2mSY6Rtfn', firstName: 'Daniel', lastName: 'Okafor' },
  sofia: { id: '00u9T4zOo72LZVV4Fsj2', firstName: 'Sofia', lastName: 'Lindqvist' },
  kenji: { id: '00uaS6aHLCdWmra6Mxk6', firstName: 'Kenji', lastName: 'Watanabe' },
  amara: { id: '00uCU0Byl9AGfEzlyafZ', firstName: 'Amara', lastName: 'Nwosu' },
  lucas: { id: '00uyEgJd0PEp0nN0HcoM', firstName: 'Lucas', lastName: 'Moreau' },
  priya: { id: '00u6VQdWaop7t3IdKjIJ', firstName: 'Priya', lastName: 'Raman' },
  ethan: { id: '00uaPfQr4jTJmdpq1FOz', firstName: 'Ethan', lastName: 'Brooks' },
  hannah: { id: '00uzZg5H5Ygb8jthBfcV', firstName: 'Hannah', lastName: 'Schmidt' },
  mateo: { id: '00uJV5WEzJvERZcvYRwg', firstName: 'Mateo', lastName: 'Alvarez' },
  grace: { id: '00uzGSMgMRKdDY3CBI48', firstName: 'Grace', lastName: 'Kim' },
  omar: { id: '00u17AESa7N4GRrs9PTU', firstName: 'Omar', lastName: 'Haddad' },
} as const;

const DOCUSIGN = { id: '0oadJb42fa5Ow1hVIeCO', name: 'docusign', label: 'DocuSign' };
const GITHUB = { id: '0oatBGnglQhGxDFocP9E', name: 'githubcloud', label: 'GitHub Enterprise Cloud - Organization' };

export function seedDemo(sim: OktaSim): SeededDemo {
  const users: Record<string, string> = {};
  for (const p of Object.values(PEOPLE)) {
    const login = `${p.firstName}.${p.lastName}@example.com`.toLowerCase();
    users[login] = sim.addUser({ id: p.id, login, firstName: p.firstName, lastName: p.lastName });
  }
  const { maya, daniel, sofia, kenji, amara, lucas, priya, ethan, hannah, mateo, grace, omar } = PEOPLE;

  // DocuSign: eight people provisioned while the grant worked; then the grant was revoked.
  const docusign = sim.addApp({
    ...DOCUSIGN,
    // The API Account ID entered in Okta's provisioning settings (the integration's DocuSign account).
    appSettings: { apiAccountId: 'b25d4f43-e00a-4d1e-8b60-b50626311d59' },
  });
  for (const p of [maya, daniel, sofia, kenji, amara, lucas, priya, ethan]) sim.assignUser(docusign, p.id);
  sim.breakCredential(docusign);
  sim.pushProfile(docusign, maya.id, { title: 'Senior Counsel' });
  sim.pushProfile(docusign, kenji.id, { department: 'Procurement' });
  sim.assignUser(docusign, hannah.id);
  sim.assignUser(docusign, mateo.id);
  sim.unassignUser(docusign, lucas.id);
  sim.unassignUser(docusign, ethan.id);

  // GitHub: seven org members provisioned; then the owner's OAuth grant stopped working.
  const github = sim.addApp({ ...GITHUB, appSettings: { githubOrg: 'example-eng' } });
  for (const p of [daniel, sofia, amara, priya, hannah, grace, omar]) sim.assignUser(github, p.id);
  sim.breakCredential(github);
  sim.pushProfile(github, sofia.id, { title: 'Staff Engineer' });
  sim.pushProfile(github, grace.id, { department: 'Platform' });
  sim.assignUser(github, kenji.id);
  sim.unassignUser(github, omar.id);

  return {
    docusign: { appId: docusign, label: DOCUSIGN.label, pushFailed: [maya.id, kenji.id, hannah.id, mateo.id], deprovisionFailed: [lucas.id, ethan.id] },
    github: { appId: github, label: GITHUB.label, pushFailed: [sofia.id, grace.id, kenji.id], deprovisionFailed: [omar.id] },
    users,
  };
}

