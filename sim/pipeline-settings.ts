/**
 * How a worker is configured against the simulated world: the pipeline's own vendor credentials
 * and the per-app settings an admin would write for the seeded apps.
 */
import type { VendorCredentials } from '../config/worker-config';
import type { SeededWorld, SimWorld } from './world';

export function pipelineVendors(world: SimWorld): VendorCredentials {
  const { docusign, github } = world.pipelineCredentials;
  return {
    docusign: {
      integrationKey: docusign.integrationKey,
      privateKey: docusign.privateKeyPem,
      environments: [
        { environment: docusign.environment, oauthHost: docusign.oauthHost, userId: docusign.userId },
        { environment: 'demo', oauthHost: docusign.demo.oauthHost, userId: docusign.demo.userId },
      ],
    },
    github: { apiUrl: github.apiUrl, token: github.token },
  };
}

/** The `apps` section of OKTA_REMEDIATION_CONFIG for the seeded DocuSign and GitHub apps. */
export function seededAppSettings(seeded: SeededWorld): Record<string, Record<string, unknown>> {
  return {
    [seeded.docusign.appId]: {
      docusign: { apiAccountId: seeded.docusign.apiAccountId, adminEmail: seeded.docusign.adminEmail, environment: seeded.docusign.environment },
    },
    [seeded.github.appId]: {
      github: { org: seeded.github.org, serviceAccount: seeded.github.serviceAccount, serviceAccountId: seeded.github.serviceAccountId },
    },
  };
}
