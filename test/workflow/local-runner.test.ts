/** The offline pieces on their own: ASL extraction from templates and Task binding by resource. */
import {
  AslExtractionError,
  definitionFromString,
  placeholderArn,
  resolveTemplateValue,
  resolveToken,
} from '../../local/stepfunctions/extract';
import { handlerFor, runLocally } from '../../local/stepfunctions/runner';

const resources = {
  Fn: { Type: 'AWS::Lambda::Function' },
  Machine: { Type: 'AWS::StepFunctions::StateMachine' },
  Topic: { Type: 'AWS::SNS::Topic' },
  Table: { Type: 'AWS::DynamoDB::Table' },
};

describe('resolveToken', () => {
  it.each([
    [{ Ref: 'AWS::Partition' }, 'aws'],
    [{ Ref: 'AWS::AccountId' }, '111111111111'],
    [{ Ref: 'Table' }, 'Table'],
    [{ Ref: 'Topic' }, 'arn:aws:sns:eu-west-1:111111111111:Topic'],
    [{ Ref: 'Machine' }, 'arn:aws:states:eu-west-1:111111111111:stateMachine:Machine'],
    [{ 'Fn::GetAtt': ['Fn', 'Arn'] }, 'arn:aws:lambda:eu-west-1:111111111111:function:Fn'],
  ])('resolves %j to %s', (token, expected) => {
    expect(resolveToken(token, resources)).toBe(expected);
  });

  it('throws AslExtractionError for an unknown resource or an unsupported intrinsic', () => {
    expect(() => resolveToken({ Ref: 'Nope' }, resources)).toThrow(AslExtractionError);
    expect(() => resolveToken({ 'Fn::Sub': 'x' }, resources)).toThrow(AslExtractionError);
  });
});

describe('definitionFromString', () => {
  it('joins an Fn::Join definition with placeholders and parses it', () => {
    const definition = definitionFromString(
      {
        'Fn::Join': [
          '',
          [
            '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"',
            { 'Fn::GetAtt': ['Fn', 'Arn'] },
            '","End":true}}}',
          ],
        ],
      },
      resources,
    );

    expect(definition).toEqual({
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: placeholderArn('Fn', 'AWS::Lambda::Function'), End: true } },
    });
  });

  it('resolves tokens nested in policy documents', () => {
    expect(
      resolveTemplateValue(
        {
          Resource: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/*']] },
          ],
        },
        resources,
      ),
    ).toEqual({ Resource: ['arn:aws:iam::111111111111:role/*'] });
  });
});

describe('runLocally', () => {
  it('binds lambda:invoke, direct Lambda ARNs, SDK and optimized integrations, and reports caught errors by name', async () => {
    const calls: string[] = [];
    const definition = {
      StartAt: 'Invoke',
      States: {
        Invoke: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'arn:aws:lambda:eu-west-1:111111111111:function:F', Payload: { n: 1 } },
          ResultSelector: { 'n.$': '$.Payload.n' },
          Next: 'Direct',
        },
        Direct: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:111111111111:function:G', Next: 'Sdk' },
        Sdk: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:iam:getRolePolicy',
          Parameters: { RoleName: 'r' },
          Catch: [{ ErrorEquals: ['Iam.NoSuchEntityException'], ResultPath: '$.caught', Next: 'Publish' }],
          Next: 'Publish',
        },
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish',
          Parameters: { Message: 'm' },
          ResultPath: null,
          End: true,
        },
      },
    };

    const result = await runLocally(
      definition,
      {},
      {
        lambda: (arn, payload) => {
          calls.push(`lambda ${arn.split(':').pop()}`);
          return { ...(payload as object), seen: true };
        },
        service: (service, action, _parameters, integration) => {
          calls.push(`${integration} ${service}:${action}`);
          if (action === 'getRolePolicy') throw Object.assign(new Error('gone'), { name: 'Iam.NoSuchEntityException' });
          return {};
        },
      },
      { stateMachineArn: 'arn:aws:states:eu-west-1:111111111111:stateMachine:M' },
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(calls).toEqual(['lambda F', 'lambda G', 'aws-sdk iam:getRolePolicy', 'optimized sns:publish']);
    expect(result.output).toEqual({ n: 1, seen: true, caught: { Error: 'Iam.NoSuchEntityException', Cause: 'gone' } });
    expect(result.statesEntered).toEqual(['Invoke', 'Direct', 'Sdk', 'Publish']);
  });

  it('hands an optimized integration with a pattern suffix to the service binding', async () => {
    const seen: string[] = [];
    const run = handlerFor('arn:aws:states:::states:startExecution.sync', {
      lambda: () => null,
      service: (service, action, _p, integration) => {
        seen.push(`${integration} ${service}:${action}`);
        return null;
      },
    });

    await run({});

    expect(seen).toEqual(['optimized states:startExecution']);
  });

  it('fails a Task whose resource it cannot bind', async () => {
    await expect(handlerFor('arn:aws:glue:x', { lambda: () => null, service: () => null })({})).rejects.toThrow(
      'No local binding for Task resource arn:aws:glue:x',
    );
  });
});
