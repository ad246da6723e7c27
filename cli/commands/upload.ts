/** `govrec upload`: one of your own files through the offline pipeline, with its own report. */
import { type Command, Option } from 'commander';
import { closeStack, deployedStack, stackFromOutputs, stackOptions } from '../deployed/stack';
import { uploadToStack } from '../deployed/upload';
import { DEFAULT_CONFIG, EXIT, examples, isoInstant, OPERATIONS, type OperationOption, outputFor } from '../program';
import { registeredOrganisation, registeredRole } from '../registry-checks';

interface UploadOptions {
  as: string;
  operation?: OperationOption;
  role?: string;
  at?: string;
  config: string;
  output: string;
  json?: boolean;
  resynth?: boolean;
  stack?: string;
  profile?: string;
  region?: string;
  purpose?: string;
  wait: string;
  bucket?: string;
  kmsKey?: string;
}

const CONTENT_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };

/** With --stack: the file to the deployed intake bucket, with your own credentials (the organisation's role). */
const uploadDeployed = async (file: string, options: UploadOptions & { stack: string }, operation: string) => {
  const out = outputFor(options);
  const { readFileSync } = await import('node:fs');
  const { basename, extname } = await import('node:path');
  const waitSeconds = Number(options.wait) || 0;
  const given = {
    ...(options.bucket !== undefined ? { IntakeBucketName: options.bucket } : {}),
    ...(options.kmsKey !== undefined ? { IntakeKeyArn: options.kmsKey } : {}),
  };
  // With the bucket and key given and no waiting, nothing but s3:PutObject and the key is needed.
  const stack =
    options.bucket !== undefined && options.kmsKey !== undefined && waitSeconds === 0
      ? stackFromOutputs(options, given)
      : await deployedStack(options).then((found) => stackFromOutputs(options, { ...found.outputs, ...given }));
  try {
    const upload = await uploadToStack(stack, {
      body: new Uint8Array(readFileSync(file)),
      contentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      orgId: options.as,
      operation,
      name: basename(file),
      waitSeconds,
      ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
    });
    out.line(
      `Upload:   s3://${upload.bucket}/${upload.key}${upload.versionId ? ` (version ${upload.versionId})` : ''}`,
    );
    if (waitSeconds === 0) {
      out.line(`Decision: not waited for (decision id ${upload.decisionId}; --wait <seconds> reads it)`);
    } else if (upload.unreadable !== undefined) {
      out.line(`Decision: not readable: ${upload.unreadable} (${upload.decisionId})`);
    } else {
      out.line(
        `Decision: ${upload.decision ? `${upload.decision.effect} ${upload.decision.reason}` : 'none recorded yet'} (${upload.decisionId})`,
      );
      out.line(`Outcome:  ${upload.outcome?.outcome ?? `none recorded yet (waited ${waitSeconds} s)`}`);
    }
    out.result(upload);
    process.exitCode = upload.outcome !== undefined || waitSeconds === 0 ? EXIT.ok : EXIT.failure;
  } finally {
    closeStack(stack);
  }
};

export const register = (program: Command): void => {
  stackOptions(program.command('upload'), false)
    .description(
      'run one of your own files through the offline pipeline; prints the decision, outcome and result and writes upload-report.html',
    )
    .argument('<file>', 'a JPEG or PNG (anything else is rejected, as on AWS)')
    .requiredOption(
      '--as <orgId>',
      'registered organisation whose intake prefix is written to ("unknown": an unregistered role)',
    )
    .addOption(
      new Option('--operation <op>', "operation (default: the organisation's first registered one)").choices(
        OPERATIONS,
      ),
    )
    .option('--role <arn>', "uploading role, one of the organisation's registered roles (default: its first)")
    .option('--at <ISO>', 'time of the upload on the simulated clock (default: now)', isoInstant)
    .option('--config <file>', 'deployment configuration', DEFAULT_CONFIG)
    .option(
      '--output <dir>',
      'output folder (upload-report.html goes here; review-report.html is left alone)',
      'output',
    )
    .option('--json', 'print the upload, decision, outcome and report paths as one JSON document')
    .option('--resynth', 'synthesize even when config and code are unchanged (offline)')
    .option('--purpose <purpose>', 'declared purpose (object metadata; with --stack)')
    .option(
      '--wait <seconds>',
      'with --stack: wait up to this long for the recorded decision and outcome (reads the audit ledger: needs more than the uploader policy)',
      '0',
    )
    .option(
      '--bucket <name>',
      'with --stack: the IntakeBucketName output (with --kms-key: no cloudformation:DescribeStacks)',
    )
    .option('--kms-key <arn>', 'with --stack: the IntakeKeyArn output')
    .addHelpText(
      'after',
      examples(
        'govrec upload my-photo.jpg --as thorn-like --operation detect',
        'govrec upload suspect.jpg --as metro-police --operation search --at 2027-07-01T10:00:00Z --json',
        'govrec upload case-0142.jpg --as thorn-like --operation search --stack GovernedRecognition --profile thorn-uploader \\\n      --bucket <IntakeBucketName> --kms-key <IntakeKeyArn>',
        'govrec upload case-0142.jpg --as thorn-like --operation search --stack GovernedRecognition --profile thorn-uploader --wait 60',
      ),
    )
    .action(async (file: string, options: UploadOptions) => {
      const out = outputFor(options);
      const [{ loadOfflineConfig }, { uploadOnce }] = await Promise.all([
        import('../../local/offline/config'),
        import('../../local/offline/upload'),
      ]);
      // Names are checked before the synth and the stand-ins start.
      const settings = loadOfflineConfig(options.config).config.governance;
      if (options.as !== 'unknown' || options.stack !== undefined) {
        const org = registeredOrganisation(settings, options.as, '--as');
        if (options.role !== undefined) registeredRole(settings, options.role, '--role', org);
        if (options.stack !== undefined)
          return uploadDeployed(
            file,
            { ...options, stack: options.stack },
            options.operation ?? org.operations[0] ?? 'detect',
          );
      }
      const { upload, report, synthReused } = await uploadOnce({
        file,
        orgId: options.as,
        configPath: options.config,
        outputDir: options.output,
        print: (line) => out.line(line),
        progress: (line) => out.progress(line),
        ...(options.resynth === true ? { reuseSynth: false } : {}),
        ...(options.operation !== undefined ? { operation: options.operation } : {}),
        ...(options.role !== undefined ? { roleArn: options.role } : {}),
        ...(options.at !== undefined ? { at: options.at } : {}),
      });
      const d = upload.decision;
      out.line(
        `Upload:   s3://${upload.bucket}/${upload.key} at ${upload.at} as ${upload.roleArn} (${upload.principalId})`,
      );
      out.line(
        `Decision: ${d ? `${d.effect} ${d.reason} (policies: ${d.policyIds.join(', ') || 'none'})${d.detail ? ` -- ${d.detail}` : ''}` : 'none recorded'}`,
      );
      out.line(
        `Outcome:  ${upload.outcome ?? 'none recorded'}${upload.deadLettered > 0 ? ` (${upload.deadLettered} message(s) dead-lettered)` : ''}`,
      );
      const calls = Object.entries(upload.engineCalls)
        .map(([op, n]) => `${op} x${n}`)
        .join(', ');
      out.line(
        `Result:   ${upload.summary ? JSON.stringify(upload.summary) : 'none'}${upload.matches.length > 0 ? `; matches: ${upload.matches.map((m) => `${m.externalImageId ?? m.faceId} ${m.similarity.toFixed(1)}%`).join(', ')}` : ''}; face engine: ${calls || 'not called'}`,
      );
      if (upload.enforcement !== undefined)
        out.line(
          `Enforce:  EnforceRole ${upload.enforcement.status}${upload.enforcement.action ? ` ${upload.enforcement.action}` : ''}`,
        );
      out.line(`Upload report: ${report.htmlPath}`);
      const { enforcement, ...rest } = upload;
      out.result({
        upload: rest,
        ...(enforcement !== undefined
          ? { enforcement: { status: enforcement.status, action: enforcement.action } }
          : {}),
        htmlPath: report.htmlPath,
        jsonPath: report.jsonPath,
        synthReused,
      });
      process.exitCode =
        d !== undefined && upload.outcome !== undefined && upload.deadLettered === 0 ? EXIT.ok : EXIT.failure;
    });
};
