/**
 * `npm run demo`: a full remediation on the embedded default. Starts the Temporal dev server
 * (unless one is running), a simulated Okta org whose DocuSign and GitHub apps have lost their
 * credentials, and a worker; remediates both apps; plays the admin (or, with --interactive, waits
 * for you to use the CLI); prints the final reports; stops what it started.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { parseAppConfig } from '../config/app-config';
import { createOktaClient } from '../activities/okta/client';
import { approveDeprovision, reportReauth, startRemediation } from '../client/remediations';
import { signIn } from '../client/sign-in';
import { renderText } from '../domain/report';
import type { RemediationStatus } from '../domain/types';
import { addPipelineServiceApp } from '../sim/okta/oauth/pipeline-app';
import { pipelineVendors, seededAppSettings } from '../sim/pipeline-settings';
import { SimWorld } from '../sim/world';
import { REMEDIATION_WORKFLOW_TYPE, remediationWorkflowId, statusQuery } from '../domain/messages';
import { connectClient, connectWorker, temporalTarget } from '../worker/temporal';
import { createRemediationWorker } from '../worker/worker';
import { freePort, isServing, startDevServer, type DevServer } from './dev-server';
import { findTemporalCli, PROJECT_ROOT } from './temporal-cli';

const TASK_QUEUE = 'okta-remediation-demo';
const ADMIN = 'it-admin@example.com';
const SECURITY = 'security@example.com';
const interactive = process.argv.includes('--interactive');
const say = (line = '') => console.log(line);

async function ensureServer(): Promise<{ address: string; namespace: string; uiBase: string; server?: DevServer }> {
  const target = temporalTarget();
  if (await isServing(target.address)) {
    say(`Using the Temporal server already running at ${target.address}.`);
    return { address: target.address, namespace: target.namespace, uiBase: 'http://localhost:8233' };
  }
  const port = Number(target.address.split(':').at(-1)) || 7233;
  say(`Starting the Temporal dev server on ${target.address} (Web UI on :8233, history in .temporal/dev.db)...`);
  mkdirSync(path.join(PROJECT_ROOT, '.temporal'), { recursive: true });
  const server = await startDevServer({ port, uiPort: 8233, dbFile: path.join(PROJECT_ROOT, '.temporal', 'dev.db'), log: say });
  return { address: server.address, namespace: target.namespace, uiBase: server.uiUrl!, server };
}

async function waitForPhase(client: Client, appId: string, phases: RemediationStatus['phase'][]): Promise<RemediationStatus> {
  const handle = client.workflow.getHandle(remediationWorkflowId(appId));
  for (;;) {
    const status = await handle.query(statusQuery);
    if (phases.includes(status.phase)) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') }); // the demo's own lines tell the story
  const temporal = await ensureServer();
  // Okta, DocuSign and GitHub in one simulated world: both apps' credentials went bad after
  // people were provisioned; some pushes and deprovisions failed.
  // Sign-ins poll every second, not Okta's five: the demo's admins approve at once.
  const world = await SimWorld.start({ syncDelayMs: 300, okta: { port: await freePortOr(8787), signInPollSeconds: 1 } });
  const seeded = world.seed();
  world.breakDocuSign('grant_revoked');
  world.breakGitHub('token_revoked');
  const { docusign, github } = seeded;
  const apps = [docusign.appId, github.appId];
  const simUrl = world.okta.url;
  say(`Simulated Okta org at ${simUrl}: DocuSign app ${docusign.appId}, GitHub app ${github.appId}; both credentials went bad.`);
  // The worker signs in as Okta recommends for automation: a service app, private key JWT, DPoP.
  const serviceApp = addPipelineServiceApp(world.okta);
  say(`The worker signs in to Okta as service app ${serviceApp.clientId} (private key JWT, DPoP-bound tokens, scopes ${serviceApp.scopes}).`);
  // GitHub's confirmers must prove who they are: they sign in with Okta through the CLI's OIDC app.
  const signInClientId = world.okta.addSignInApp();
  world.okta.addUser({ login: ADMIN, firstName: 'IT', lastName: 'Admin' });
  world.okta.addUser({ login: SECURITY, firstName: 'Security', lastName: 'Lead' });
  const signedIn = (login: string) => signIn({ orgUrl: simUrl, clientId: signInClientId }, (p) => world.okta.approveSignIn(p.userCode, login)).then((s) => ({ idToken: s.idToken }));

  const connection = await connectWorker({ ...temporalTarget(), address: temporal.address });
  const client = await connectClient({ ...temporalTarget(), address: temporal.address });
  say('Bundling workflows and starting the worker...');
  // What an admin would configure: DocuSign leavers are removed at once, GitHub ones after
  // approval, and each app is confirmed with a test user at the end (the vendors' articles' last step).
  const settings = seededAppSettings(seeded);
  const appConfig = parseAppConfig({
    defaults: { wait: { autoDetect: false } },
    apps: {
      [docusign.appId]: { ...settings[docusign.appId], deprovisionPolicy: 'auto', testUser: seeded.testUser },
      [github.appId]: { ...settings[github.appId], deprovisionPolicy: 'ask', testUser: seeded.testUser, confirmers: [ADMIN, SECURITY] },
    },
  });
  const worker = await createRemediationWorker({
    connection,
    namespace: temporal.namespace,
    taskQueue: TASK_QUEUE,
    deps: {
      okta: createOktaClient({ orgUrl: simUrl, auth: { mode: 'PrivateKey', ...serviceApp }, requestTimeoutMs: 10_000 }),
      orgUrl: simUrl,
      signInClientId,
      appConfig,
      vendors: pipelineVendors(world),
      lookbackHours: 24,
      sync: { timeoutMs: 30_000, pollMs: 200 },
      temporal: { client, taskQueue: TASK_QUEUE },
      notifyLog: () => undefined, // the demo prints the reports itself
    },
  });
  const workerRun = worker.run();

  try {
    for (const appId of apps) {
      // A demo run that was interrupted may have left its workflow waiting: start afresh.
      await client.workflow
        .getHandle(remediationWorkflowId(appId))
        .terminate('superseded by a new demo run')
        .catch(() => undefined);
      const { handle } = await startRemediation(client, TASK_QUEUE, { appId });
      say(`Started ${handle.workflowId}: ${temporal.uiBase}/namespaces/${temporal.namespace}/workflows/${handle.workflowId}`);
    }
    for (const appId of apps) {
      const status = await waitForPhase(client, appId, ['awaiting_reauth', 'failed', 'completed']);
      say();
      say(renderText(status));
    }
    say();
    if (interactive) {
      say('Your turn. In another terminal, play the admins and report to the pipeline:');
      say(`  export OKTA_ORG_URL=${simUrl} OKTA_SIM_ADMIN_TOKEN=${world.okta.apiToken} OKTA_CLI_CLIENT_ID=${signInClientId}`);
      say(`  npx okta-remediate sim reauth --app ${docusign.appId}`);
      say(`  npx okta-remediate reauth-done --app ${docusign.appId} --by you@example.com`);
      say(`GitHub takes only admins signed in with Okta (${ADMIN}, ${SECURITY}): each --sign-in prints a code; approve it with`);
      say(`  npx okta-remediate sim approve-sign-in --code CODE --as ${SECURITY}   # in a third terminal, as the admin's browser would`);
      say(`  npx okta-remediate approve-deprovision --app ${github.appId} --sign-in`);
      say(`  npx okta-remediate sim reauth --app ${github.appId}`);
      say(`  npx okta-remediate reauth-done --app ${github.appId} --sign-in`);
      say('Waiting for both remediations to finish (Ctrl-C to stop)...');
    } else {
      // Someone re-authenticates DocuSign with the wrong API Account ID: verification catches it.
      say(`${docusign.adminEmail} re-authenticates DocuSign in Okta, typing the wrong API Account ID (${docusign.foreignAccountId})...`);
      world.reauthenticate(docusign.appId, { apiAccountId: docusign.foreignAccountId });
      await reportReauth(client, docusign.appId, { by: docusign.adminEmail }, 'typed from memory');
      say(`  verification: ${await waitForClaimVerdict(client, docusign.appId)}`);
      world.reauthenticate(docusign.appId, { apiAccountId: docusign.apiAccountId });
      await reportReauth(client, docusign.appId, { by: docusign.adminEmail }, 'copied from Settings > Apps and Keys');
      say(`${docusign.adminEmail} re-authenticated DocuSign with ${docusign.apiAccountId} and reported it.`);

      // GitHub has confirmers: a name alone is refused, a sign-in with Okta is verified and counts.
      await approveDeprovision(client, github.appId, { by: SECURITY }, []).catch((err: Error) => say(`A removal approved by name only: ${err.message}`));
      await approveDeprovision(client, github.appId, await signedIn(SECURITY), []);
      say(`${SECURITY} signed in with Okta (device sign-in, verified by the worker) and approved removing GitHub leavers.`);
      world.reauthenticate(github.appId);
      await reportReauth(client, github.appId, await signedIn(ADMIN), 'demo: re-authenticated in the Admin Console');
      say(`${ADMIN} re-authenticated GitHub and reported it, signed in with Okta.`);
    }
    for (const appId of apps) {
      const report = await client.workflow.getHandle(remediationWorkflowId(appId)).result();
      say();
      say('='.repeat(80));
      say(renderText(report));
    }
    say();
    say(`Both workflows are in the Temporal server's history${temporal.server ? ' (.temporal/dev.db; `npm run server` to browse them)' : ''}.`);
    const bin = path.relative(process.cwd(), findTemporalCli() ?? 'temporal') || 'temporal';
    say(`List them: ${bin} workflow list --query 'WorkflowType = "${REMEDIATION_WORKFLOW_TYPE}"'`);
  } finally {
    worker.shutdown();
    await workerRun;
    await connection.close();
    await world.stop();
    await temporal.server?.stop();
  }
}

/** The simulator's usual port, so printed commands stay the same, unless something holds it. */
async function freePortOr(port: number): Promise<number> {
  const { createServer } = await import('node:net');
  const free = await new Promise<boolean>((resolve) => {
    const srv = createServer().once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  return free ? port : freePort();
}

async function waitForClaimVerdict(client: Client, appId: string): Promise<string> {
  const handle = client.workflow.getHandle(remediationWorkflowId(appId));
  for (;;) {
    const s = await handle.query(statusQuery);
    const claim = s.reauthClaims.at(-1);
    if (claim?.verified !== undefined && s.phase === 'awaiting_reauth') return claim.verdict ?? '';
    await new Promise((r) => setTimeout(r, 250));
  }
}

main().catch((err) => {
  console.error((err as Error).message ?? err);
  process.exit(1);
});
