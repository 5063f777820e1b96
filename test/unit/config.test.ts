import { ConfigError, loadTaskQueue, loadWorkerConfig } from '../../config/worker-config';

const base = { OKTA_ORG_URL: 'https://acme.okta.com', OKTA_API_TOKEN: 'tok-secret-123' };

function errorOf(env: Record<string, string>): string {
  try {
    loadWorkerConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('worker configuration', () => {
  it('accepts an org URL with an API token and applies defaults', () => {
    const config = loadWorkerConfig({ ...base, OKTA_ORG_URL: 'https://acme.okta.com/' });
    expect(config.okta.orgUrl).toBe('https://acme.okta.com');
    expect(config.okta.auth).toEqual({ mode: 'SSWS', token: 'tok-secret-123' });
    expect(config.taskQueue).toBe('okta-remediation');
  });

  it('names a missing setting in one line', () => {
    const message = errorOf({ OKTA_API_TOKEN: 'x' });
    expect(message).toMatch(/OKTA_ORG_URL is required/);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('rejects plain http except on loopback', () => {
    expect(errorOf({ ...base, OKTA_ORG_URL: 'http://acme.okta.com' })).toMatch(/OKTA_ORG_URL must use https/);
    expect(loadWorkerConfig({ ...base, OKTA_ORG_URL: 'http://127.0.0.1:8787' }).okta.orgUrl).toBe('http://127.0.0.1:8787');
  });

  it('requires a way to authenticate, and only one', () => {
    expect(errorOf({ OKTA_ORG_URL: base.OKTA_ORG_URL })).toMatch(/OKTA_API_TOKEN is required/);
    expect(errorOf({ ...base, OKTA_CLIENT_ID: 'abc', OKTA_PRIVATE_KEY: 'k' })).toMatch(/choose one/);
    expect(errorOf({ OKTA_ORG_URL: base.OKTA_ORG_URL, OKTA_CLIENT_ID: 'abc' })).toMatch(/OKTA_PRIVATE_KEY or OKTA_PRIVATE_KEY_FILE is required/);
  });

  it('accepts OAuth private-key settings', () => {
    const config = loadWorkerConfig({ OKTA_ORG_URL: base.OKTA_ORG_URL, OKTA_CLIENT_ID: 'abc', OKTA_PRIVATE_KEY: '{"kty":"RSA"}' });
    expect(config.okta.auth).toMatchObject({ mode: 'PrivateKey', clientId: 'abc', scopes: 'okta.apps.manage okta.logs.read okta.users.read' });
  });

  it('rejects malformed numbers and task queues, naming them', () => {
    expect(errorOf({ ...base, OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS: 'soon' })).toMatch(/OKTA_REMEDIATION_SYNC_TIMEOUT_SECONDS/);
    expect(() => loadTaskQueue({ OKTA_REMEDIATION_TASK_QUEUE: 'has spaces' })).toThrow(/OKTA_REMEDIATION_TASK_QUEUE must be/);
  });

  it('never echoes a secret in its errors', () => {
    expect(errorOf({ ...base, OKTA_ORG_URL: 'not a url' })).not.toContain('tok-secret-123');
  });
});
