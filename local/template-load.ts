/**
 * Finding and reading the synthesized CloudFormation template in `cdk.out`. The offline run takes
 * its resource names and function environments from here, so there is no second, hand-written
 * list of buckets and tables to drift from the stack.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError } from './errors';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
  readonly Metadata?: Record<string, unknown>;
}

/** The parts of a template the offline run reads. */
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Parameters?: Record<string, { readonly Type: string; readonly Default?: unknown }>;
  readonly Outputs?: Record<string, { readonly Value: unknown }>;
}

export interface LoadedTemplate {
  readonly stackName: string;
  readonly templatePath: string;
  readonly template: CfnTemplate;
}

interface ManifestArtifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string };
}

const readJson = (path: string, what: string): unknown => {
  if (!existsSync(path)) throw new TemplateError(`${what} not found at ${path}; run \`npx cdk synth\` first`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TemplateError(`${what} at ${path} is not valid JSON`, { cause: error });
  }
};

/**
 * Read `<cdkOut>/manifest.json`, pick the CloudFormation stack artifact (by name when there are
 * several) and load its template.
 *
 * @example
 * const { template, stackName } = loadStackTemplate('cdk.out');
 */
export const loadStackTemplate = (cdkOut = 'cdk.out', stackName?: string): LoadedTemplate => {
  const manifest = readJson(join(cdkOut, 'manifest.json'), 'Cloud assembly manifest') as {
    artifacts?: Record<string, ManifestArtifact>;
  };
  const stacks = Object.entries(manifest.artifacts ?? {})
    .filter(
      ([, artifact]) => artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile !== undefined,
    )
    .map(([id, artifact]) => ({
      id,
      name: artifact.properties?.stackName ?? artifact.displayName ?? id,
      templateFile: artifact.properties!.templateFile!,
    }));
  if (stacks.length === 0) throw new TemplateError(`${join(cdkOut, 'manifest.json')} lists no CloudFormation stack`);
  const chosen =
    stackName === undefined ? stacks : stacks.filter((stack) => stack.id === stackName || stack.name === stackName);
  if (chosen.length !== 1) {
    const names = stacks.map((stack) => stack.name).join(', ');
    throw new TemplateError(
      stackName === undefined
        ? `Several stacks in ${cdkOut} (${names}); name the one to run`
        : `No stack "${stackName}" in ${cdkOut} (found: ${names})`,
    );
  }
  const stack = chosen[0]!;
  const templatePath = join(cdkOut, stack.templateFile);
  const template = readJson(templatePath, `Template of stack ${stack.name}`) as CfnTemplate;
  if (typeof template.Resources !== 'object' || template.Resources === null)
    throw new TemplateError(`${templatePath} has no Resources section`);
  return { stackName: stack.name, templatePath, template };
};
