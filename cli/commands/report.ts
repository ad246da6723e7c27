/** `govrec report --stack`: the review report built from a deployed stack's records. */
import type { Command } from 'commander';
import { checkReportRange, reportFromStack } from '../deployed/report';
import { closeStack, deployedStack, stackOptions } from '../deployed/stack';
import { DEFAULT_CONFIG, EXIT, examples, isoInstant, outputFor } from '../program';

interface ReportOptions {
  stack: string;
  profile?: string;
  region?: string;
  config: string;
  from: string;
  to: string;
  output: string;
  json?: boolean;
}

export const register = (program: Command): void => {
  stackOptions(
    program
      .command('report')
      .description(
        'write the review report (HTML and JSON) of a deployed stack for the decisions about instants in [--from, --to)',
      ),
    true,
  )
    .requiredOption('--from <ISO>', 'first instant (inclusive)', isoInstant)
    .requiredOption('--to <ISO>', 'end (exclusive)', isoInstant)
    .option('--config <file>', 'the configuration the stack was deployed with', DEFAULT_CONFIG)
    .option('--output <dir>', 'folder for review-report-<stack>.html and .json', 'output')
    .option('--json', 'print the headline and the report paths as one JSON document')
    .addHelpText(
      'after',
      examples(
        'govrec report --stack GovernedRecognition --from 2027-06-10T00:00:00Z --to 2027-07-01T00:00:00Z --profile audit',
      ),
    )
    .action(async (options: ReportOptions) => {
      const out = outputFor(options);
      checkReportRange(options.from, options.to);
      const { loadOfflineConfig } = await import('../../local/offline/config');
      const settings = loadOfflineConfig(options.config).config.governance;
      const stack = await deployedStack(options);
      try {
        const written = await reportFromStack(stack, {
          settings,
          from: options.from,
          to: options.to,
          outputDir: options.output,
        });
        out.line(written.report.headline.text);
        out.line(`Review report: ${written.htmlPath}`);
        out.line(`          JSON: ${written.jsonPath}`);
        out.result({ headline: written.report.headline, htmlPath: written.htmlPath, jsonPath: written.jsonPath });
        process.exitCode = written.report.headline.ok ? EXIT.ok : EXIT.failure;
      } finally {
        closeStack(stack);
      }
    });
};
