// A case's Temporal history, every run of it: continue-as-new starts a fresh run with a fresh history,
// so the whole story of a long case is the chain of runs, walked back from the current one.
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';

export interface RunHistory {
  runId: string;
  history: History;
}

/** Far above what a case reaches (a run continues as new after thousands of events); stops a corrupt loop. */
const MAX_RUNS = 100;

/** Every run of the case's workflow, oldest first. Throws WorkflowNotFoundError when there is none. */
export async function fetchRunHistories(client: Client, caseId: string): Promise<RunHistory[]> {
  const { runId: latest } = await client.workflow.getHandle(caseId).describe();
  const runs: RunHistory[] = [];
  for (let runId: string | undefined = latest; runId && runs.length < MAX_RUNS; ) {
    const history = await client.workflow.getHandle(caseId, runId).fetchHistory();
    runs.unshift({ runId, history });
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}
