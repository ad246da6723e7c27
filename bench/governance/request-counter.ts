/**
 * Counts the AWS requests a worker's clients send, by command, so the cost estimate can use the
 * measured number of S3 and DynamoDB requests per upload rather than a guess.
 */
import type { RecognitionClients } from '../../lambda/recognition/clients';

export type CommandCounts = Record<string, number>;

type Stack = { add: (mw: unknown, options: { step: 'initialize'; name: string }) => void };

const attach = (service: string, stack: Stack, counts: CommandCounts): void => {
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const key = `${service}:${context.commandName ?? 'unknown'}`;
      counts[key] = (counts[key] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: `benchCount${service}` },
  );
};

/** Start counting the S3 and DynamoDB requests of `clients` (the document client shares the DynamoDB stack). */
export const countRequests = (clients: RecognitionClients): CommandCounts => {
  const counts: CommandCounts = {};
  attach('s3', clients.s3.middlewareStack as unknown as Stack, counts);
  attach('dynamodb', clients.dynamodb.middlewareStack as unknown as Stack, counts);
  return counts;
};
