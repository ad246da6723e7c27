/** `govrec run`: the offline scenario and its review report. */
import { type Command, Option } from 'commander';
import { DEFAULT_CONFIG, EXIT, examples, outputFor } from '../program';

export const register = (program: Command): void => {
  program
    .command('run')
    .description('play the scenario offline (before, during and after the moratorium) and write the review report')
    .option('--config <file>', 'deployment configuration', DEFAULT_CONFIG)
    .option('--output <dir>', 'output folder (cloud assembly, collections, report)', 'output')
    .addOption(new Option('--resynth', 'synthesize even when config and code are unchanged'))
    .option('--json', 'print one JSON document (report paths, steps, ok) instead of lines')
    .addHelpText('after', examples('govrec run', 'govrec run --config my-config.json --output /tmp/run --json'))
    .action(async (options: { config: string; output: string; resynth?: boolean; json?: boolean }) => {
      const out = outputFor(options);
      const { runScenario } = await import('../../local/offline/scenario');
      const started = Date.now();
      const { report, ok, steps } = await runScenario({
        configPath: options.config,
        outputDir: options.output,
        print: (line) => out.line(line),
        progress: (line) => out.progress(line),
        ...(options.resynth === true ? { reuseSynth: false } : {}),
      });
      out.line(`Review report: ${report.htmlPath}`);
      out.line(`          JSON: ${report.jsonPath}`);
      out.line(
        `Finished in ${((Date.now() - started) / 1000).toFixed(1)} s${ok ? '' : ' -- NOT everything ended as the pipeline guarantees (see the steps above)'}`,
      );
      out.result({ ok, htmlPath: report.htmlPath, jsonPath: report.jsonPath, headline: report.report.headline, steps });
      process.exitCode = ok ? EXIT.ok : EXIT.failure;
    });
};
