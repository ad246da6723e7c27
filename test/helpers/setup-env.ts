// Quiet the SDK's Node-version notice and keep the suite free of wall-clock or network surprises.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
process.env.CDK_DISABLE_VERSION_CHECK = '1';

// The tests run on the Lambda runtime's Node (24; 22 is the floor, see package.json engines).
// On an older Node the workflow tests would fail deep inside aws-local-stepfunctions instead.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22)
  throw new Error(
    `Node ${process.versions.node} is too old for the tests (22 or newer; the Lambdas run on 24): run \`source .ci/node/env.sh\` first`,
  );
