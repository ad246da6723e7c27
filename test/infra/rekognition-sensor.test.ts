/**
 * A Rekognition call in another region reaches enforcement through a sensor: the sensor forwards
 * it, and the enforcement stack's RekognitionCallsRule matches the forwarded event (EventBridge
 * semantics, see test/README.md) as it would a local one.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RekognitionSensor } from '../../lib/constructs/enforcement/rekognition-sensor';
import { LOCAL_ENV, resolveTemplateValue } from '../../local/stepfunctions/extract';
import { EXAMPLE_ACCOUNT, logicalIdOf, synthStack, testApp } from '../helpers/cdk-app';
import { matchesEventPattern } from '../helpers/event-pattern';
import { roleSessionCall } from '../workflow/events';

const app = testApp();
const sensorStack = new Stack(app, 'Sensor', { env: { account: EXAMPLE_ACCOUNT, region: 'eu-central-1' } });
const sensor = new RekognitionSensor(sensorStack, 'RekognitionSensor', { targetRegion: 'eu-west-1' });
const sensorTemplate = Template.fromStack(sensorStack);
const sensorRule = sensorTemplate.toJSON().Resources[sensorStack.getLogicalId(sensor.rule.node.defaultChild as never)];

const { stack, template } = synthStack();
const resources = template.toJSON().Resources;
const enforcementPattern = resolveTemplateValue(
  resources[logicalIdOf(stack.pipeline.enforcer.rules.rekognitionCalls)].Properties.EventPattern,
  resources,
  LOCAL_ENV,
);

/** A police Rekognition call made in eu-central-1, as the sensor forwards it (region kept). */
const remoteCall = (() => {
  const event = roleSessionCall('govrec-police-investigations', { eventTime: '2027-09-01T10:00:00Z' });
  return { ...event, region: 'eu-central-1', detail: { ...event.detail, awsRegion: 'eu-central-1' } };
})();

describe('RekognitionSensor', () => {
  it('forwards every Rekognition call of its region, read-only ones included, to the enforcement bus', () => {
    expect(sensorRule.Properties).toMatchObject({
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: {
        source: ['aws.rekognition'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['rekognition.amazonaws.com'] },
      },
      Targets: [expect.objectContaining({ Arn: `arn:aws:events:eu-west-1:${EXAMPLE_ACCOUNT}:event-bus/default` })],
    });
    expect(matchesEventPattern(sensorRule.Properties.EventPattern, remoteCall)).toBe(true);
  });

  it("delivers calls the enforcement stack's Rekognition rule matches like local ones", () => {
    expect(matchesEventPattern(enforcementPattern, remoteCall)).toBe(true);
  });

  it('passes the AwsSolutions checks', () => {
    expect(new AwsSolutionsChecks(app).validateScope(sensorStack).violations).toEqual([]);
  });
});
