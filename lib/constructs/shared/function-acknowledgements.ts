/**
 * The cdk-nag findings every house function raises by construction, acknowledged next to the
 * function with the reason, so the reasons are written once for all functions.
 */
import { Validations } from 'aws-cdk-lib';
import type { HouseFunction } from './house-function';

/**
 * Acknowledge the AWS basic execution managed policy and the `Resource::*` of active tracing.
 * `alsoResourceStar` explains any further `Resource::*` action of the same role.
 *
 * @example
 * acknowledgeFunctionBaseline(fn, 'rekognition:DetectFaces has no resource-level permissions.');
 */
export const acknowledgeFunctionBaseline = (fn: HouseFunction, alsoResourceStar?: string): void => {
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'The AWS managed basic execution policy grants only CreateLogGroup/CreateLogStream/PutLogEvents, which the function needs to log.',
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: [
      'xray:PutTraceSegments/PutTelemetryRecords (active tracing) have no resource-level permissions.',
      alsoResourceStar,
    ]
      .filter((part) => part !== undefined)
      .join(' '),
  });
};
