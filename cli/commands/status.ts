/** `govrec status --stack`: what the deployed stack says now. */
import type { Command } from 'commander';
import { closeStack, deployedStack, stackOptions } from '../deployed/stack';
import { stackStatus } from '../deployed/status';
import { DEFAULT_CONFIG, EXIT, examples, outputFor } from '../program';

interface StatusOptions {
  stack: string;
  profile?: string;
  region?: string;
  config: string;
  sinceHours: string;
  json?: boolean;
}

export const register = (program: Command): void => {
  stackOptions(
    program
      .command('status')
      .description(
        "a deployed stack's moratorium window, each restricted role's state (IAM and the enforcement ledger), recent denials and alarms in ALARM",
      ),
    true,
  )
    .option(
      '--config <file>',
      'the configuration the stack was deployed with (its registry and restrictedTag name the restricted roles)',
      DEFAULT_CONFIG,
    )
    .option('--since-hours <n>', 'how far back "recent denials" go', '24')
    .option('--json', 'print the status as one JSON document')
    .addHelpText(
      'after',
      examples(
        'govrec status --stack GovernedRecognition --profile audit --region eu-west-1',
        'govrec status --stack GovernedRecognition --json',
      ),
    )
    .action(async (options: StatusOptions) => {
      const out = outputFor(options);
      const { loadOfflineConfig } = await import('../../local/offline/config');
      const { config } = loadOfflineConfig(options.config);
      const settings = config.governance;
      const stack = await deployedStack(options);
      try {
        const status = await stackStatus(stack, settings, {
          now: new Date(),
          sinceHours: Number(options.sinceHours) || 24,
          restrictedTag: config.restrictedTag,
        });
        out.line(`Stack:    ${status.stack}`);
        out.line(
          `Window:   ${status.window.start} .. ${status.window.end} (${status.window.inForce ? 'in force now' : 'not in force now'})`,
        );
        for (const role of status.roles) {
          const iam =
            role.iamError !== undefined
              ? `IAM unreadable (${role.iamError})`
              : role.denyInIam
                ? 'deny policy in place'
                : 'no deny policy';
          const last = role.lastRecord
            ? `; last record ${role.lastRecord.action} at ${role.lastRecord.at}${role.lastRecord.until ? ` until ${role.lastRecord.until}` : ''}`
            : '; no enforcement record';
          out.line(`Role:     ${role.roleArn} (${role.orgId}): ${iam}${last}`);
        }
        if (status.taggedRolesError !== undefined)
          out.line(
            `Roles:    roles restricted only by tag could not be listed (${status.taggedRolesError}); registered roles only`,
          );
        out.line(`Denials:  ${status.recentDenials.length} since ${status.since}`);
        for (const d of status.recentDenials)
          out.line(`          ${d.decidedAt} ${d.orgId} ${d.reason} ${d.principalId} (${d.decisionId})`);
        out.line(
          `Alarms:   ${status.alarmsInAlarm !== undefined ? (status.alarmsInAlarm.length === 0 ? 'none in ALARM' : `IN ALARM: ${status.alarmsInAlarm.join(', ')}`) : `could not be read (${status.alarmsError})`}`,
        );
        out.result(status);
        process.exitCode = status.ok ? EXIT.ok : EXIT.failure;
      } finally {
        closeStack(stack);
      }
    });
};
