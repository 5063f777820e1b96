/**
 * Everything the worker needs from its environment, checked before anything connects: Okta and
 * vendor credentials, per-app settings, channel variables, the Temporal address. A bad setting
 * stops the worker with one line naming it (a ConfigError, exit 2).
 */
import { loadAppConfig, type AppConfig } from '../config/app-config';
import { checkChannelSettings } from './channel-settings';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from '../config/worker-config';
import { temporalTarget, type TemporalTarget } from './temporal';

export interface WorkerSettings {
  config: WorkerConfig;
  appConfig: AppConfig;
  target: TemporalTarget;
}

export function loadWorkerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const config = loadWorkerConfig(env);
  const appConfig = loadAppConfig(env);
  checkChannelSettings(appConfig, env);
  const needSignIn = appConfig.signInRequiredBy();
  if (needSignIn.length > 0 && !config.okta.signInClientId) {
    throw new ConfigError(
      `Configuration error: ${needSignIn.join(', ')} in OKTA_REMEDIATION_CONFIG take only signed-in admins (requireVerifiedIdentity, on by default where confirmers are set), but OKTA_CLI_CLIENT_ID is not set: set it to the client id of the CLI's OIDC app (README, "Who acts is proven"), or set requireVerifiedIdentity to false.`,
    );
  }
  return { config, appConfig, target: temporalTarget(env) };
}
