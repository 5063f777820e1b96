/**
 * One real Temporal dev server (with its Web UI) for the whole run, and the workflow bundle built
 * once. Test files read them from the environment (inherited by Jest's worker processes).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { freePort, PAYLOAD_BOUND, startDevServer, type DevServer } from '../../scripts/dev-server';

declare global {
  var __devServer: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  // The Web UI costs the dev server little, and the browser test needs it.
  const server = await startDevServer({ dynamicConfig: PAYLOAD_BOUND, uiPort: await freePort(), log: (l) => process.stderr.write(`${l}\n`) });
  globalThis.__devServer = server;
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  const dir = mkdtempSync(path.join(tmpdir(), 'okta-remediation-test-'));
  const codePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(codePath, code);
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_TEMPORAL_UI_URL = server.uiUrl;
  process.env.TEST_WORKFLOW_BUNDLE = codePath;
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => process.stderr.write(`${m}\n`) };
