/** `govrec decide`: one question to the decision point (offline, or the deployed policy function). */
import { type Command, Option } from 'commander';
import { decideDeployed, deployedPrincipalId } from '../deployed/decide';
import { closeStack, deployedStack, stackOptions } from '../deployed/stack';
import { DEFAULT_CONFIG, EXIT, examples, isoInstant, OPERATIONS, type OperationOption, outputFor } from '../program';
import { registeredOrganisation, registeredRole } from '../registry-checks';

interface DecideOptions {
  as: string;
  org: string;
  operation: OperationOption;
  purpose?: string;
  at?: string;
  config: string;
  failOnDeny?: boolean;
  unregistered?: boolean;
  json?: boolean;
  stack?: string;
  profile?: string;
  region?: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\//;

const askDeployed = async (options: DecideOptions & { stack: string }, defaultPurpose: string, at: string) => {
  const stack = await deployedStack(options);
  try {
    const decision = await decideDeployed(stack, {
      principalId: await deployedPrincipalId(stack, options.as),
      orgId: options.org,
      operation: options.operation,
      purpose: options.purpose ?? defaultPurpose,
      at,
    });
    return { decision, policies: [] as { id: string; effect: string; file: string; text: string }[] };
  } finally {
    closeStack(stack);
  }
};

export const register = (program: Command): void => {
  stackOptions(
    program
      .command('decide')
      .description(
        'ask the decision point one question and print the decision and the Cedar policies that made it (with --stack: the deployed policy function, which records it)',
      ),
    false,
  )
    .requiredOption('--as <principal>', 'role ARN, role id (AROA...) or principal id (AWS:AROA...:session)')
    .requiredOption('--org <id>', 'registered organisation of the intake prefix')
    .addOption(new Option('--operation <op>', 'operation').choices(OPERATIONS).makeOptionMandatory())
    .option('--purpose <purpose>', "declared purpose (default: the organisation's first)")
    .option('--at <ISO>', 'instant the decision is about (default: now)', isoInstant)
    .option('--config <file>', 'deployment configuration', DEFAULT_CONFIG)
    .option('--unregistered', 'accept a role ARN that is not registered (to see how an unknown caller is denied)')
    .option('--fail-on-deny', 'exit 1 when the answer is DENY')
    .option('--json', 'print the decision and policies as one JSON document')
    .addHelpText(
      'after',
      examples(
        'govrec decide --as arn:aws:iam::111111111111:role/govrec-police-investigations --org metro-police --operation search --at 2027-07-01T00:00:00Z',
        'govrec decide --as arn:aws:iam::111111111111:role/someone-else --unregistered --org thorn-like --operation detect --json',
        'govrec decide --stack GovernedRecognition --profile audit --as arn:aws:iam::111111111111:role/govrec-police-analysts --org metro-police --operation detect',
      ),
    )
    .action(async (options: DecideOptions) => {
      const out = outputFor(options);
      const [{ loadOfflineConfig }, { decideOffline }] = await Promise.all([
        import('../../local/offline/config'),
        import('../../local/offline/decide'),
      ]);
      const { config } = loadOfflineConfig(options.config);
      const settings = config.governance;
      const org = registeredOrganisation(settings, options.org, '--org');
      if (ROLE_ARN.test(options.as) && options.unregistered !== true) registeredRole(settings, options.as, '--as');
      const at = options.at ?? new Date().toISOString();
      const { decision, policies } =
        options.stack === undefined
          ? await decideOffline(settings, {
              principal: options.as,
              orgId: options.org,
              operation: options.operation,
              at,
              ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
            })
          : await askDeployed({ ...options, stack: options.stack }, org.purposes[0] ?? 'unspecified', at);
      const { moratorium } = decision;
      out.line(`Decision: ${decision.effect} ${decision.reason}`);
      out.line(
        `Request:  ${decision.request.principalId} -> ${decision.request.orgId} ${decision.request.operation} (${decision.request.purpose}) at ${decision.request.at}`,
      );
      out.line(
        `Caller:   ${decision.caller.roleArn ?? 'unknown principal'}${decision.caller.orgId ? ` (${decision.caller.orgId}, ${decision.caller.category})` : ''}${decision.caller.restricted ? ', restricted' : ''}`,
      );
      out.line(
        `Window:   ${moratorium.start} .. ${moratorium.end} (${moratorium.inForce ? 'in force' : 'not in force'} at that instant)`,
      );
      if (decision.detail !== undefined) out.line(`Detail:   ${decision.detail}`);
      out.line(`Policies: ${decision.policyIds.join(', ') || 'none (no policy applied: default deny)'}`);
      for (const policy of policies) {
        out.line();
        out.line(`// ${policy.id} (${policy.effect}, ${policy.file})`);
        out.line(policy.text.trim());
      }
      out.result({ decision, policies });
      process.exitCode = options.failOnDeny === true && decision.effect === 'DENY' ? EXIT.failure : EXIT.ok;
    });
};
