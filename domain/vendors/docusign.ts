/** DocuSign, as the pipeline names it, configures it and words its causes (its module: activities/vendors/docusign.ts). */
import { z } from 'zod';
import { finish, openIntegration, or } from '../steps';
import type { AppSummary, StepValues } from '../types';
import type { VendorProfile } from './profile';

const admin = (v: StepValues) => or(v.adminEmail, 'the DocuSign admin who authorizes Okta');
const host = (v: StepValues) => (v.environment === 'demo' ? 'the DocuSign demo environment (appdemo.docusign.com)' : 'DocuSign (app.docusign.com)');
const reauth = (app: AppSummary, v: StepValues) => [
  openIntegration(app),
  `Enter the API Account ID${v.apiAccountId ? ` ${v.apiAccountId}` : ''}, click "Authenticate with DocuSign" and sign in as ${admin(v)}.`,
  finish(app),
];

export const DOCUSIGN = {
  id: 'docusign',
  service: 'DocuSign',
  oktaAppNames: ['docusign'],
  statusPage: 'https://status.docusign.com',
  settings: z
    .object({
      /** The API Account ID Okta should hold (DocuSign Settings > Apps and Keys). */
      apiAccountId: z.uuid({ error: 'must be a DocuSign API Account ID (a GUID)' }).optional(),
      /** The DocuSign admin who authorizes Okta. */
      adminEmail: z.email().optional(),
      environment: z.enum(['production', 'demo']).default('production'),
    })
    .strict(),
  credentialInvalidSteps: (app, v) => [`Sign in to ${host(v)} as ${admin(v)}, open Settings > Apps and Keys and copy the API Account ID.`, ...reauth(app, v)],
  causes: {
    'docusign-account-id-mismatch': {
      title: (_app, v) => `The API Account ID in Okta${v.apiAccountId ? ` (${v.apiAccountId})` : ''} is not one of ${admin(v)}'s DocuSign accounts`,
      steps: (app, v) => [
        `Sign in to ${host(v)} as ${admin(v)}, open Settings > Apps and Keys and copy the API Account ID of the account Okta should provision.`,
        ...reauth(app, { ...v, apiAccountId: undefined }),
      ],
    },
    'docusign-environment-mismatch': {
      title: (_app, v) =>
        `The API Account ID in Okta${v.apiAccountId ? ` (${v.apiAccountId})` : ''} belongs to the other DocuSign environment (demo vs production) than the one Okta authenticates against`,
      steps: (app, v) => [
        `Sign in to ${host(v)} as ${admin(v)} — the environment Okta's app uses — open Settings > Apps and Keys and copy that environment's API Account ID.`,
        ...reauth(app, { ...v, apiAccountId: undefined }),
      ],
    },
    'docusign-admin-not-admin': {
      title: (_app, v) => `${admin(v)}, who authorized Okta, is no longer a DocuSign admin`,
      steps: (app, v) => [`In DocuSign Settings > Users, give ${admin(v)} the DS Admin permission profile again, or choose another active admin.`, ...reauth(app, v)],
    },
    'docusign-admin-closed': {
      title: (_app, v) => `${admin(v)}, who authorized Okta, was closed in DocuSign`,
      steps: (app, v) => [`In DocuSign Settings > Users, reactivate ${admin(v)}, or choose another active admin.`, ...reauth(app, v)],
    },
    'docusign-grant-revoked': {
      title: () => 'The OAuth grant Okta holds for DocuSign expired or was revoked (everything checks out at DocuSign)',
      steps: (app, v) => reauth(app, v),
    },
  },
} satisfies VendorProfile<'docusign'>;
