/**
 * Reading the deployment configuration for the CLI and the offline run, with errors the CLI
 * reports as configuration problems (exit 2). Kept apart from the synth so `govrec decide` does
 * not load the CDK.
 */
import { readFileSync } from 'node:fs';
import { SettingsValidationError } from '../../lambda/shared/settings';
import { type AppConfig, loadAppConfig } from '../../lib/config/app-config';
import { OfflineConfigError } from './errors';

/** The configuration used when `--config` is not given. */
export const DEFAULT_OFFLINE_CONFIG = 'config/governance.json';

/**
 * Load and validate the configuration; any problem is an {@link OfflineConfigError}.
 *
 * @example
 * const { config, configJson } = loadOfflineConfig('config/governance.json');
 */
export const loadOfflineConfig = (configPath: string): { config: AppConfig; configJson: Record<string, unknown> } => {
  let configJson: Record<string, unknown>;
  try {
    configJson = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new OfflineConfigError(`Cannot read the configuration ${configPath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return { config: loadAppConfig(configPath), configJson };
  } catch (error) {
    if (error instanceof SettingsValidationError) throw new OfflineConfigError(error.message, { cause: error });
    throw error;
  }
};
