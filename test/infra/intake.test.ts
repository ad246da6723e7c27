import { Match } from 'aws-cdk-lib/assertions';
import { configWith, exampleConfig, getAttArn, joinedArn, logicalIdOf, synthStack } from '../helpers/cdk-app';

const { stack, template } = synthStack();
const pipeline = stack.pipeline;
const intakeArn = getAttArn(pipeline.intakeBucket);
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, resolved by IAM, not by JavaScript
const ownPrefix = joinedArn(pipeline.intakeBucket, '/incoming/${aws:PrincipalTag/govrec:org}/*');

describe('GovernedIntake bucket policy', () => {
  const statements = () =>
    template.findResources('AWS::S3::BucketPolicy', {
      Properties: { Bucket: { Ref: logicalIdOf(pipeline.intakeBucket) } },
    });

  it('allows registered roles to upload only under the prefix named by their principal tag', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(pipeline.intakeBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowUploadToOwnOrganisationPrefix',
            Effect: 'Allow',
            // A literal partition: the stack's region is known (feature flag @aws-cdk/core:enablePartitionLiterals).
            Principal: { AWS: 'arn:aws:iam::111111111111:root' },
            Action: 's3:PutObject',
            Resource: ownPrefix,
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': [
                  'arn:aws:iam::111111111111:role/govrec-ngo-anti-trafficking-uploader',
                  'arn:aws:iam::111111111111:role/govrec-ngo-child-rescue-uploader',
                  'arn:aws:iam::111111111111:role/govrec-police-analysts',
                  'arn:aws:iam::111111111111:role/govrec-police-investigations',
                ],
              },
            },
          },
        ]),
      },
    });
  });

  it('denies every principal s3:PutObject on everything outside its own tagged prefix', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(pipeline.intakeBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyUploadOutsideOwnOrganisationPrefix',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            NotResource: ownPrefix,
          },
        ]),
      },
    });
  });

  it('denies uploads by principals that carry no organisation tag', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalIdOf(pipeline.intakeBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'DenyUploadWithoutOrganisationTag',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Resource: joinedArn(pipeline.intakeBucket, '/*'),
            Condition: { Null: { 'aws:PrincipalTag/govrec:org': 'true' } },
          },
        ]),
      },
    });
  });

  it('has exactly one policy on the intake bucket, with the TLS deny, the three prefix statements and the moratorium deny of restricted-tagged principals', () => {
    const policies = Object.values(statements());
    expect(policies).toHaveLength(1);
    const sids = (policies[0].Properties.PolicyDocument.Statement as { Sid?: string; Condition?: unknown }[]).map(
      (s) => s.Sid ?? JSON.stringify(s.Condition),
    );
    expect(sids).toEqual([
      JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
      'AllowUploadToOwnOrganisationPrefix',
      'DenyUploadOutsideOwnOrganisationPrefix',
      'DenyUploadWithoutOrganisationTag',
      // The example registers no role in another account, so there is no per-organisation deny.
      'GovrecMoratoriumDenyRestrictedTag',
    ]);
  });
});

describe('GovernedIntake events', () => {
  it('sends object-created events under incoming/ to the intake queue', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalIdOf(pipeline.intakeBucket) },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
            QueueArn: getAttArn(pipeline.intakeQueue),
          },
        ],
      },
    });
  });

  it('lets only the intake bucket send messages to the queue', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(pipeline.intakeQueue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Condition: { ArnLike: { 'aws:SourceArn': intakeArn } },
          }),
        ]),
      },
    });
  });

  it('redrives to the dead-letter queue after five receives, with six times the worker timeout as visibility', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: getAttArn(pipeline.deadLetterQueue), maxReceiveCount: 5 },
      VisibilityTimeout: 360,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Timeout: 60,
      Handler: 'index.handler',
      Description: Match.stringLikeRegexp('worker'),
    });
  });

  it('keeps dead letters for 14 days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      RedrivePolicy: Match.absent(),
    });
  });

  it('feeds the recognition worker in batches of ten with partial batch failure reporting, at most five invocations at once', () => {
    // The other mappings are the evidence recorder's two ledger streams.
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(
      mappings.filter((m) => m.Properties.FunctionName?.Ref === logicalIdOf(pipeline.recognitionFunction)),
    ).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAttArn(pipeline.intakeQueue),
      FunctionName: { Ref: logicalIdOf(pipeline.recognitionFunction) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // The default recognitionMaxConcurrency: a burst waits in the queue instead of hitting
      // Rekognition's default 5 TPS and dead-lettering after five receives.
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('takes the event source maximum concurrency from recognitionMaxConcurrency', () => {
    const configured = synthStack(
      configWith((json) => {
        json.recognitionMaxConcurrency = 40;
      }),
    ).template;

    expect(
      Object.values(configured.findResources('AWS::Lambda::EventSourceMapping')).map(
        (mapping) => mapping.Properties.ScalingConfig,
      ),
    ).toEqual([{ MaximumConcurrency: 40 }]);
  });

  it('fails at synth, saying how to fix it, for a maximum concurrency SQS does not accept', () => {
    // A hand-built config (an embedder's) that skipped validation.
    expect(() => synthStack({ ...exampleConfig(), recognitionMaxConcurrency: 1 })).toThrow(
      'maxConcurrency must be a whole number from 2 to 1000, the SQS event source limit (got 1); set recognitionMaxConcurrency in the configuration',
    );
  });

  it('alarms to the alarm topic as soon as one message is visible in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(pipeline.deadLetterQueue), 'QueueName'] } },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: logicalIdOf(pipeline.alarmTopic) }],
    });
  });

  it('alarms to the alarm topic when the oldest intake event has waited over an hour', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(pipeline.intakeQueue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 3600,
      AlarmActions: [{ Ref: logicalIdOf(pipeline.alarmTopic) }],
    });
  });

  it('keeps intake events four days, shorter than dead letters, so a dead letter has at least ten days', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 345600,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
  });

  it('denies queue access without TLS on both queues', () => {
    for (const queue of [pipeline.intakeQueue, pipeline.deadLetterQueue]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalIdOf(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});
