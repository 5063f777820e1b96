/** The terminal report's words for a test-user round trip: running, passed, failed, not run. */
import { renderText } from '../../domain/report';
import type { Confirmation, RemediationStatus } from '../../domain/types';

const status = (confirmation: Confirmation): RemediationStatus => ({
  appId: '0oa1234567890abcdefg',
  phase: 'retrying',
  affected: [],
  results: [],
  reauthClaims: [],
  notifications: [],
  startedAt: '2026-01-01T00:00:00.000Z',
  phaseChangedAt: '2026-01-01T00:00:00.000Z',
  confirmation,
});
const step = (name: Confirmation['steps'][number]['step'], ok: boolean) => ({ step: name, ok, detail: `${name} detail`, at: '2026-01-01T00:01:00.000Z' });
const verdict = (c: Confirmation) => /Test-user confirmation with t@example\.com: (.*)/.exec(renderText(status(c)))?.[1];

it('shows a round trip still running as in progress, never as failed', () => {
  expect(verdict({ testUser: 't@example.com', ok: false, steps: [] })).toBe('in progress (0 of 4 steps done)');
  expect(verdict({ testUser: 't@example.com', ok: false, steps: [step('assign', true), step('vendor_present', true)] })).toBe('in progress (2 of 4 steps done)');
});

it('shows a passed, a failed and a skipped round trip as such', () => {
  expect(verdict({ testUser: 't@example.com', ok: true, steps: ['assign', 'vendor_present', 'unassign', 'vendor_removed'].map((n) => step(n as 'assign', true)) })).toBe('passed');
  expect(verdict({ testUser: 't@example.com', ok: false, steps: [step('assign', true), step('vendor_present', false)] })).toBe('FAILED');
  expect(verdict({ testUser: 't@example.com', ok: false, steps: [], skipped: 'no such user' })).toBe('not run: no such user');
});
