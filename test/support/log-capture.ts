/**
 * Every log line of the SDK, workers and activities in this test file is kept here (tests assert
 * that no secret reaches a log) instead of printed; DEBUG_TEST_LOGS=1 prints them too.
 */
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';

export const capturedLogs: LogEntry[] = [];

export const testLogger = new DefaultLogger('DEBUG', (entry) => {
  capturedLogs.push(entry);
  if (process.env.DEBUG_TEST_LOGS) console.log(`[${entry.level}] ${entry.message}`, entry.meta ?? '');
});

Runtime.install({ logger: testLogger });
