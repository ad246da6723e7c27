import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { functionNameOf, type LambdaEndpoint, startLambdaEndpoint } from '../../../local/lambda-endpoint';

const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

describe('startLambdaEndpoint', () => {
  let lambda: LambdaEndpoint;
  let client: LambdaClient;

  beforeAll(async () => {
    lambda = await startLambdaEndpoint({ region: 'eu-west-1', accountId: '111111111111' });
    client = new LambdaClient({
      endpoint: lambda.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    lambda.register('PolicyFunction', async (event, context) => ({
      echo: event,
      functionName: context.functionName,
      arn: context.invokedFunctionArn,
    }));
    lambda.register('Failing', async () => {
      throw new TypeError('settings are broken');
    });
    lambda.register('Slow', {
      handler: () => new Promise((resolve) => setTimeout(() => resolve('late'), 200)),
      timeoutMs: 20,
    });
    lambda.register('Nothing', async () => undefined);
  });
  afterAll(async () => {
    client.destroy();
    await lambda.stop();
  });

  it('exposes the environment a calling handler needs', () => {
    expect(lambda.env).toEqual({ AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint });
  });

  it('runs the registered handler and returns its result as the payload', async () => {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: 'PolicyFunction',
        Payload: Buffer.from(JSON.stringify({ orgId: 'thorn-like' })),
      }),
    );
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBeUndefined();
    expect(response.ExecutedVersion).toBe('$LATEST');
    expect(decode(response.Payload)).toEqual({
      echo: { orgId: 'thorn-like' },
      functionName: 'PolicyFunction',
      arn: 'arn:aws:lambda:eu-west-1:111111111111:function:PolicyFunction',
    });
  });

  it.each([
    'PolicyFunction',
    'PolicyFunction:$LATEST',
    'arn:aws:lambda:eu-west-1:111111111111:function:PolicyFunction',
    '111111111111:function:PolicyFunction',
  ])('finds the function when it is named %p', async (name) => {
    const response = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
    expect(decode(response.Payload)).toMatchObject({ functionName: 'PolicyFunction' });
  });

  it('is reached by a client configured only through AWS_ENDPOINT_URL_LAMBDA, as the handlers create theirs', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_LAMBDA;
    process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.env.AWS_ENDPOINT_URL_LAMBDA;
    const fromEnv = new LambdaClient({ region: 'eu-west-1', maxAttempts: 1 });
    try {
      const response = await fromEnv.send(
        new InvokeCommand({ FunctionName: 'PolicyFunction', Payload: Buffer.from('{"via":"env"}') }),
      );
      expect(decode(response.Payload)).toMatchObject({ echo: { via: 'env' } });
    } finally {
      fromEnv.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_LAMBDA;
      else process.env.AWS_ENDPOINT_URL_LAMBDA = saved;
    }
  });

  it('reports a throw as an Unhandled function error with errorType and errorMessage', async () => {
    const response = await client.send(new InvokeCommand({ FunctionName: 'Failing', Payload: Buffer.from('{}') }));
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    expect(decode(response.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'settings are broken' });
    expect(lambda.invocations.at(-1)).toEqual({
      functionName: 'Failing',
      invocationType: 'RequestResponse',
      payload: {},
      error: { errorType: 'TypeError', errorMessage: 'settings are broken' },
    });
  });

  it('times a slow handler out as Lambda does', async () => {
    const response = await client.send(new InvokeCommand({ FunctionName: 'Slow', Payload: Buffer.from('{}') }));
    expect(response.FunctionError).toBe('Unhandled');
    expect(decode(response.Payload)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: 'Task timed out after 0.02 seconds',
    });
  });

  it('returns null for a handler that returns nothing', async () => {
    const response = await client.send(new InvokeCommand({ FunctionName: 'Nothing' }));
    expect(decode(response.Payload)).toBeNull();
  });

  it('answers ResourceNotFoundException for an unregistered function', async () => {
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'Missing', Payload: Buffer.from('{}') })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers InvalidRequestContentException for a payload that is not JSON', async () => {
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'PolicyFunction', Payload: Buffer.from('{nope') })),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
  });

  it('accepts an Event invocation with 202 and a DryRun with 204', async () => {
    expect(
      (
        await client.send(
          new InvokeCommand({
            FunctionName: 'PolicyFunction',
            InvocationType: 'Event',
            Payload: Buffer.from('{"a":1}'),
          }),
        )
      ).StatusCode,
    ).toBe(202);
    expect(
      (await client.send(new InvokeCommand({ FunctionName: 'PolicyFunction', InvocationType: 'DryRun' }))).StatusCode,
    ).toBe(204);
  });
});

describe('LambdaEndpoint.invoke', () => {
  it('runs a registered function in-process with a Lambda context and records the invocation', async () => {
    const lambda = await startLambdaEndpoint({ region: 'eu-west-1', accountId: '111111111111' });
    try {
      lambda.register('Worker', async (event, context) => ({
        event,
        requestId: context.awsRequestId,
        remaining: context.getRemainingTimeInMillis() > 0,
      }));
      lambda.register('Broken', async () => {
        throw new RangeError('bad batch');
      });
      await expect(lambda.invoke('Worker', { Records: [] })).resolves.toEqual({
        event: { Records: [] },
        requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        remaining: true,
      });
      await expect(lambda.invoke('Broken', {})).rejects.toThrow('bad batch');
      await expect(lambda.invoke('Missing', {})).rejects.toThrow(
        'No function Missing is registered with the local Lambda endpoint',
      );
      expect(lambda.invocations.map((i) => [i.functionName, i.invocationType, i.error?.errorType])).toEqual([
        ['Worker', 'EventSourceMapping', undefined],
        ['Broken', 'EventSourceMapping', 'RangeError'],
      ]);
    } finally {
      await lambda.stop();
    }
  });
});

describe('functionNameOf', () => {
  it.each([
    ['PolicyFunction', 'PolicyFunction'],
    ['PolicyFunction%3Alive', 'PolicyFunction'],
    ['arn%3Aaws%3Alambda%3Aeu-west-1%3A111111111111%3Afunction%3APolicyFunction%3A7', 'PolicyFunction'],
  ])('reads %p as %p', (raw, name) => {
    expect(functionNameOf(raw)).toBe(name);
  });
});
