/**
 * The floor of the Node the project runs on (package.json engines; the Lambdas run on 24). On an
 * older Node the local state machines (aws-local-stepfunctions needs 22) fail deep inside a run,
 * so the CLI and the tests refuse at once and say how to get a supported Node.
 */
export const MIN_NODE_MAJOR = 22;

/** Why this Node cannot run `what`, or undefined when it can. */
export const unsupportedNode = (what: string, version = process.versions.node): string | undefined =>
  Number(version.split('.')[0]) >= MIN_NODE_MAJOR
    ? undefined
    : `Node ${version} is too old for ${what} (${MIN_NODE_MAJOR} or newer; the Lambdas run on 24): run \`source .ci/node/env.sh\` first (it installs Node 24 from the npm registry), or \`nvm use\``;
