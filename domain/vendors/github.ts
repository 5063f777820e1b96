/** GitHub Enterprise Cloud, as the pipeline names it, configures it and words its causes (its module: activities/vendors/github.ts). */
import { z } from 'zod';
import { finish, openIntegration, or } from '../steps';
import type { AppSummary, StepValues } from '../types';
import type { VendorProfile } from './profile';

const account = (v: StepValues) => or(v.serviceAccount, 'the service account');
const org = (v: StepValues) => or(v.org, 'the organization');
const reauth = (app: AppSummary, v: StepValues, as = account(v)) => [openIntegration(app), `Click "Re-authenticate with GitHub" and sign in as ${as}; grant access to ${org(v)}.`, finish(app)];

export const GITHUB = {
  id: 'github',
  service: 'GitHub',
  oktaAppNames: ['githubcloud', 'github_enterprise_cloud'],
  statusPage: 'https://www.githubstatus.com',
  settings: z
    .object({
      org: z.string().min(1),
      /** The account whose grant Okta holds: a dedicated org owner. */
      serviceAccount: z.string().min(1).optional(),
      /** Its numeric GitHub id: a login can change, the id cannot (tells a rename from a deletion). */
      serviceAccountId: z.number().int().positive().optional(),
      /** Logins that mark a dedicated service account; a person's account is flagged. */
      serviceAccountPattern: z
        .string()
        .refine(
          (p) => {
            try {
              new RegExp(p, 'i');
              return true;
            } catch {
              return false;
            }
          },
          { error: 'must be a valid regular expression' },
        )
        .default('(svc|bot|service|okta|scim|provision)'),
      requireDedicatedServiceAccount: z.boolean().default(true),
    })
    .strict(),
  credentialInvalidSteps: (app, v) => [`Check that ${account(v)} is a dedicated service account, still an owner of ${org(v)}, with a current password and SAML authorization.`, ...reauth(app, v)],
  causes: {
    'github-account-unavailable': {
      title: (_app, v) => `The service account ${account(v)} was deleted or suspended`,
      steps: (app, v) => [`Restore ${account(v)} (or create a dedicated service account) and make it an owner of ${org(v)} (GitHub > ${org(v)} > People).`, ...reauth(app, v)],
    },
    'github-username-changed': {
      title: (_app, v) => `The service account ${account(v)} was renamed${v.renamedTo ? ` to ${v.renamedTo}` : ''}`,
      steps: (app, v) => [`Sign in to GitHub as ${or(v.renamedTo, 'the renamed account')}.`, ...reauth(app, v, or(v.renamedTo, account(v)))],
    },
    'github-not-owner': {
      title: (_app, v) => `The service account ${account(v)} is no longer an owner of ${org(v)}`,
      steps: (app, v) => [`In GitHub > ${org(v)} > People, change ${account(v)}'s role to Owner.`, ...reauth(app, v)],
    },
    'github-token-revoked': {
      title: (_app, v) => `The OAuth token Okta holds for ${account(v)} was revoked or expired, or its password changed (everything else checks out at GitHub)`,
      steps: (app, v) => reauth(app, v),
    },
    'github-saml-missing': {
      title: (_app, v) => `The service account's token is not authorized for ${org(v)}'s SAML single sign-on`,
      steps: (app, v) => [
        `Sign in to GitHub as ${account(v)} and complete SAML SSO for ${org(v)} (https://github.com/orgs/${org(v)}/sso).`,
        ...reauth(app, v),
        `If the error returns, authorize the Okta OAuth app for ${org(v)} under ${account(v)}'s Settings > Applications.`,
      ],
    },
    'github-not-dedicated': {
      title: (_app, v) => `Provisioning runs on a person's GitHub account (${account(v)}), not a dedicated service account`,
      steps: (app, v) => [
        `Create a dedicated service account (e.g. okta-provisioner) and make it an owner of ${org(v)}: a person's password change or departure breaks provisioning.`,
        ...reauth(app, v, 'that service account'),
      ],
    },
  },
} satisfies VendorProfile<'github'>;
