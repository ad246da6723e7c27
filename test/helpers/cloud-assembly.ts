/**
 * The real app, synthesized (without bundling) into a cloud assembly directory, for the tests of
 * the offline stand-ins that read `cdk.out`. It replaces a hand-written template that had drifted
 * from the one the app synthesizes. Build it once per test file (module scope): a synth takes
 * several seconds.
 */
import type { IConstruct } from 'constructs';
import type { GovernedRecognitionStack } from '../../lib/governed-recognition-stack';
import { LocalTemplate } from '../../local/template';
import { EXAMPLE_ACCOUNT, logicalIdOf, synthStack, TEST_REGION } from './cdk-app';

export interface SynthesizedAssembly {
  /** The cloud assembly directory (manifest.json, GovernedRecognition.template.json). */
  readonly directory: string;
  readonly stack: GovernedRecognitionStack;
  /** The template as the offline run reads it. */
  readonly local: LocalTemplate;
  /** The logical id of a construct's resource in the template. */
  readonly id: (construct: IConstruct) => string;
}

export const LOCAL_ENV = { region: TEST_REGION, accountId: EXAMPLE_ACCOUNT };

export const synthesizedAssembly = (): SynthesizedAssembly => {
  const { app, stack } = synthStack();
  const directory = app.synth().directory;
  return { directory, stack, local: LocalTemplate.fromCdkOut(directory, LOCAL_ENV), id: logicalIdOf };
};
