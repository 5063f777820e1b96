/**
 * `npm run server`: the Temporal dev server in the foreground, Web UI on :8233, SQLite in
 * .temporal/, the project's search attributes registered. Ctrl-C stops it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startDevServer } from './dev-server';
import { PROJECT_ROOT } from './temporal-cli';

async function main(): Promise<void> {
  const dir = path.join(PROJECT_ROOT, '.temporal');
  mkdirSync(dir, { recursive: true });
  const port = Number(process.env.TEMPORAL_DEV_PORT ?? 7233);
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
  const server = await startDevServer({ port, uiPort, dbFile: path.join(dir, 'dev.db') });
  console.log(`Temporal dev server at ${server.address}; Web UI at ${server.uiUrl}. Ctrl-C to stop.`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.process.once('exit', (code) => process.exit(code ?? 1));
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
