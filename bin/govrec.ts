#!/usr/bin/env node
/**
 * `govrec`: the governed pipeline on this machine.
 *
 *   govrec run [--config <file>] [--output <dir>]              the scenario, and the review report
 *   govrec upload <file> --as <orgId> [--operation ...] [--role <arn>] [--at <ISO>]
 *   govrec decide --as <role ARN | AROA id> --org <id> --operation <op> [--purpose ...] [--at <ISO>] [--fail-on-deny]
 *   govrec verify [--from <ISO>] [--to <ISO>] [--stack <name> | --evidence <dir>] [--public-key <pem>] [--json]
 *
 * Exit codes: 0 done (a denial is an answer), 1 the run failed or did not end as the pipeline
 * guarantees (or `--fail-on-deny` and the answer is DENY), 2 usage or configuration error.
 * Wiring only: the work is in `local/offline/`, loaded per command so `decide` stays quick.
 */
// Before any AWS SDK module loads: the SDK warns once per process about Node 20's support window.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { registerVerifyCommand } from '../local/evidence/verify-cli';

const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
const OPERATIONS = ['search', 'detect', 'index'] as const;
const DEFAULT_CONFIG = 'config/governance.json';

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const isoInstant = (value: string): string => {
  if (Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('expected an ISO 8601 instant, e.g. 2027-07-01T09:00:00Z');
  return new Date(value).toISOString();
};

/** Configuration mistakes are the user's to fix: exit 2 with the message alone. */
const isConfigError = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'OfflineConfigError' || error.name === 'SettingsValidationError');

const program = new Command()
  .name('govrec')
  .description('Governed face recognition on this machine: the real handlers, local stand-ins, a review report')
  .showHelpAfterError()
  .exitOverride();

program
  .command('run')
  .description('play the scenario (before, during and after the moratorium) and write the review report')
  .option('--config <file>', 'deployment configuration', DEFAULT_CONFIG)
  .option('--output <dir>', 'output folder (cloud assembly, collections, report)', 'output')
  .action(async (options: { config: string; output: string }) => {
    const { runScenario } = await import('../local/offline/scenario');
    const started = Date.now();
    const { report, ok } = await runScenario({ configPath: options.config, outputDir: options.output, print: out });
    out(`Review report: ${report.htmlPath}`);
    out(`          JSON: ${report.jsonPath}`);
    out(
      `Finished in ${((Date.now() - started) / 1000).toFixed(1)} s${ok ? '' : ' -- NOT everything ended as the pipeline guarantees (see the steps above)'}`,
    );
    process.exitCode = ok ? EXIT.ok : EXIT.failure;
  });

program
  .command('upload')
  .description('run one of your own files through the same pipeline and print the decision, outcome and result')
  .argument('<file>', 'a JPEG or PNG (anything else is rejected, as on AWS)')
  .requiredOption('--as <orgId>', 'organisation whose intake prefix is written to ("unknown": an unregistered role)')
  .addOption(
    new Option('--operation <op>', "operation (default: the organisation's first registered one)").choices(OPERATIONS),
  )
  .option('--role <arn>', "uploading role (default: the organisation's first role)")
  .option('--at <ISO>', 'time of the upload on the simulated clock (default: now)', isoInstant)
  .option('--config <file>', 'deployment configuration', DEFAULT_CONFIG)
  .option('--output <dir>', 'output folder', 'output')
  .action(
    async (
      file: string,
      options: {
        as: string;
        operation?: (typeof OPERATIONS)[number];
        role?: string;
        at?: string;
        config: string;
        output: string;
      },
    ) => {
      const { uploadOnce } = await import('../local/offline/upload');
      const { upload, report } = await uploadOnce({
        file,
        orgId: options.as,
        configPath: options.config,
        outputDir: options.output,
        print: out,
        ...(options.operation !== undefined ? { operation: options.operation } : {}),
        ...(options.role !== undefined ? { roleArn: options.role } : {}),
        ...(options.at !== undefined ? { at: options.at } : {}),
      });
      out(`Upload:   s3://${upload.bucket}/${upload.key} at ${upload.at} as ${upload.roleArn} (${upload.principalId})`);
      out(
        `Decision: ${upload.decision ? `${upload.decision.effect} ${upload.decision.reason} (policies: ${upload.decision.policyIds.join(', ') || 'none'})${upload.decision.detail ? ` -- ${upload.decision.detail}` : ''}` : 'none recorded'}`,
      );
      out(
        `Outcome:  ${upload.outcome ?? 'none recorded'}${upload.deadLettered > 0 ? ` (${upload.deadLettered} message(s) dead-lettered)` : ''}`,
      );
      const calls = Object.entries(upload.engineCalls)
        .map(([op, n]) => `${op} x${n}`)
        .join(', ');
      out(
        `Result:   ${upload.summary ? JSON.stringify(upload.summary) : 'none'}${upload.matches.length > 0 ? `; matches: ${upload.matches.map((m) => `${m.externalImageId ?? m.faceId} ${m.similarity.toFixed(1)}%`).join(', ')}` : ''}; face engine: ${calls || 'not called'}`,
      );
      if (upload.enforcement !== undefined)
        out(
          `Enforce:  EnforceRole ${upload.enforcement.status}${upload.enforcement.action ? ` ${upload.enforcement.action}` : ''}`,
        );
      out(`Review report: ${report.htmlPath}`);
      process.exitCode =
        upload.decision !== undefined && upload.outcome !== undefined && upload.deadLettered === 0
          ? EXIT.ok
          : EXIT.failure;
    },
  );

program
  .command('decide')
  .description('ask the decision point one question and print the decision and the Cedar policies that made it')
  .requiredOption('--as <principal>', 'role ARN, role id (AROA...) or principal id (AWS:AROA...:session)')
  .requiredOption('--org <id>', 'organisation of the intake prefix')
  .addOption(new Option('--operation <op>', 'operation').choices(OPERATIONS).makeOptionMandatory())
  .option('--purpose <purpose>', "declared purpose (default: the organisation's first)")
  .option('--at <ISO>', 'instant the decision is about (default: now)', isoInstant)
  .option('--config <file>', 'deployment configuration', DEFAULT_CONFIG)
  .option('--fail-on-deny', 'exit 1 when the answer is DENY')
  .action(
    async (options: {
      as: string;
      org: string;
      operation: (typeof OPERATIONS)[number];
      purpose?: string;
      at?: string;
      config: string;
      failOnDeny?: boolean;
    }) => {
      const [{ loadOfflineConfig }, { decideOffline }] = await Promise.all([
        import('../local/offline/config'),
        import('../local/offline/decide'),
      ]);
      const { config } = loadOfflineConfig(options.config);
      const { decision, policies } = await decideOffline(config.governance, {
        principal: options.as,
        orgId: options.org,
        operation: options.operation,
        at: options.at ?? new Date().toISOString(),
        ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
      });
      const { moratorium } = decision;
      out(`Decision: ${decision.effect} ${decision.reason}`);
      out(
        `Request:  ${decision.request.principalId} -> ${decision.request.orgId} ${decision.request.operation} (${decision.request.purpose}) at ${decision.request.at}`,
      );
      out(
        `Caller:   ${decision.caller.roleArn ?? 'unknown principal'}${decision.caller.orgId ? ` (${decision.caller.orgId}, ${decision.caller.category})` : ''}${decision.caller.restricted ? ', restricted' : ''}`,
      );
      out(
        `Window:   ${moratorium.start} .. ${moratorium.end} (${moratorium.inForce ? 'in force' : 'not in force'} at that instant)`,
      );
      if (decision.detail !== undefined) out(`Detail:   ${decision.detail}`);
      out(`Policies: ${decision.policyIds.join(', ') || 'none (no policy applied: default deny)'}`);
      for (const policy of policies) {
        out();
        out(`// ${policy.id} (${policy.effect}, ${policy.file})`);
        out(policy.text.trim());
      }
      process.exitCode = options.failOnDeny === true && decision.effect === 'DENY' ? EXIT.failure : EXIT.ok;
    },
  );

registerVerifyCommand(program, out);

const main = async (): Promise<void> => {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; everything else commander raises is a usage error.
      process.exitCode =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
          ? EXIT.ok
          : EXIT.usage;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`govrec: ${message}\n`);
    if (process.env.GOVREC_DEBUG !== undefined && error instanceof Error)
      process.stderr.write(`${error.stack ?? ''}\n`);
    process.exitCode = isConfigError(error) ? EXIT.usage : EXIT.failure;
  }
};

void main();
