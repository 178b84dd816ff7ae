/** Step Functions: starting an execution once by name, and answering a waiting task. */
import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfn } from './clients.ts';

/** StartExecution under a name that identifies the work: if that execution exists, the work is started, which is all we want. */
export async function startOnce(stateMachineArn: string, name: string, input: unknown): Promise<void> {
  try {
    await sfn().send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
}

/** SendTaskSuccess; any error (a token that timed out or was answered) is the caller's to handle. */
export async function completeTask(taskToken: string, output: unknown): Promise<void> {
  await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
}

/** SendTaskSuccess for a resolution that may come late: false when the token is no longer valid (already resumed or timed out). */
export async function completeTaskIfWaiting(taskToken: string, output: unknown): Promise<boolean> {
  try {
    await completeTask(taskToken, output);
    return true;
  } catch (error) {
    if (['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'].includes((error as Error).name)) return false;
    throw error;
  }
}
