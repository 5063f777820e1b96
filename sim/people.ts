/**
 * The simulated company's people and Okta apps, shared by the Okta-only demo seed and the shared
 * world. Ids are fixed so the demo, the docs and a re-run print the same ones.
 */

export interface Person {
  id: string;
  firstName: string;
  lastName: string;
}

export const PEOPLE = {
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
} as const satisfies Record<string, Person>;

/** The person an admin assigns and unassigns to confirm a repaired app (assigned to no app). */
export const TEST_PERSON: Person = { id: '00u5rq4f5zr3QA7YeEEB', firstName: 'Okta', lastName: 'Testuser' };

/** Okta logins (and emails) are `first.last@example.com`. */
export function loginOf(p: Person): string {
  return `${p.firstName}.${p.lastName}@example.com`.toLowerCase();
}

export const DOCUSIGN_APP = { id: '0oadJb42fa5Ow1hVIeCO', name: 'docusign', label: 'DocuSign' };
export const GITHUB_APP = { id: '0oatBGnglQhGxDFocP9E', name: 'githubcloud', label: 'GitHub Enterprise Cloud - Organization' };
/** An app with no vendor module: the pipeline's generic path. */
export const GENERIC_APP = { id: '0oakY9pF34Qy6nB3Wwd2', name: 'salesforce', label: 'Salesforce.com', appSettings: { instanceType: 'PRODUCTION' } };

/** Who each app had before its credential went bad, and what happened after (as in seedDemo). */
export const ASSIGNED = {
  docusign: ['maya', 'daniel', 'sofia', 'kenji', 'amara', 'lucas', 'priya', 'ethan'],
  github: ['daniel', 'sofia', 'amara', 'priya', 'hannah', 'grace', 'omar'],
  generic: ['maya', 'sofia', 'lucas', 'grace'],
} as const satisfies Record<string, ReadonlyArray<keyof typeof PEOPLE>>;

export interface Aftermath {
  /** Okta-side profile changes pushed while broken. */
  profileChanges: Array<[keyof typeof PEOPLE, Record<string, unknown>]>;
  /** New assignments while broken. */
  assigned: Array<keyof typeof PEOPLE>;
  /** Unassignments while broken: the deprovisions that fail. */
  unassigned: Array<keyof typeof PEOPLE>;
}

export const AFTERMATH: Record<'docusign' | 'github' | 'generic', Aftermath> = {
  docusign: {
    profileChanges: [
      ['maya', { title: 'Senior Counsel' }],
      ['kenji', { department: 'Procurement' }],
    ],
    assigned: ['hannah', 'mateo'],
    unassigned: ['lucas', 'ethan'],
  },
  github: {
    profileChanges: [
      ['sofia', { title: 'Staff Engineer' }],
      ['grace', { department: 'Platform' }],
    ],
    assigned: ['kenji'],
    unassigned: ['omar'],
  },
  generic: {
    profileChanges: [['maya', { title: 'Senior Counsel' }]],
    assigned: ['kenji'],
    unassigned: ['lucas'],
  },
};
