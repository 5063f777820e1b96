/**
 * The Okta-only demo world: a DocuSign app and a GitHub Enterprise Cloud app whose API credentials
 * went bad after people were provisioned, with no vendor simulators behind them (the shared world
 * with vendors is sim/world.ts). Ids are fixed so the demo and docs print the same ones every run.
 */
import type { OktaSim } from './okta';
import { AFTERMATH, ASSIGNED, DOCUSIGN_APP, GITHUB_APP, loginOf, PEOPLE, type Aftermath } from './people';

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

export function seedDemo(sim: OktaSim): SeededDemo {
  const users: Record<string, string> = {};
  for (const p of Object.values(PEOPLE)) {
    users[loginOf(p)] = sim.addUser({ id: p.id, login: loginOf(p), firstName: p.firstName, lastName: p.lastName });
  }

  // DocuSign: eight people provisioned while the grant worked; then the grant was revoked.
  // The API Account ID entered in Okta's provisioning settings (a made-up settings.app key).
  const docusign = sim.addApp({ ...DOCUSIGN_APP, appSettings: { apiAccountId: 'b25d4f43-e00a-4d1e-8b60-b50626311d59' } });
  for (const name of ASSIGNED.docusign) sim.assignUser(docusign, PEOPLE[name].id);
  sim.breakCredential(docusign);
  const docusignFailures = applyAftermath(sim, docusign, AFTERMATH.docusign);

  // GitHub: seven org members provisioned; then the owner's OAuth grant stopped working.
  const github = sim.addApp({ ...GITHUB_APP, appSettings: { githubOrg: 'example-eng' } });
  for (const name of ASSIGNED.github) sim.assignUser(github, PEOPLE[name].id);
  sim.breakCredential(github);
  const githubFailures = applyAftermath(sim, github, AFTERMATH.github);

  return {
    docusign: { appId: docusign, label: DOCUSIGN_APP.label, ...docusignFailures },
    github: { appId: github, label: GITHUB_APP.label, ...githubFailures },
    users,
  };
}

/** What happens in Okta while an app's credential is bad: every push and deprovision fails. */
export function applyAftermath(sim: OktaSim, appId: string, a: Aftermath): { pushFailed: string[]; deprovisionFailed: string[] } {
  for (const [name, profile] of a.profileChanges) sim.pushProfile(appId, PEOPLE[name].id, profile);
  for (const name of a.assigned) sim.assignUser(appId, PEOPLE[name].id);
  for (const name of a.unassigned) sim.unassignUser(appId, PEOPLE[name].id);
  return {
    pushFailed: [...a.profileChanges.map(([name]) => PEOPLE[name].id), ...a.assigned.map((name) => PEOPLE[name].id)],
    deprovisionFailed: a.unassigned.map((name) => PEOPLE[name].id),
  };
}
