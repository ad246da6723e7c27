import { unsupportedNode } from '../../local/node-version';

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
const tooOld = unsupportedNode('the tests');
if (tooOld !== undefined) throw new Error(tooOld);
