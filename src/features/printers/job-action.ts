// One job action as its API call, wherever jobs are acted on (打印任务, the print dialog). The rules of
// which action a job offers are in job-words.ts; a reprint needs a reason and has its own dialog.
import { api } from '../../api/client.ts';
import type { JobAction } from './job-words.ts';

export type DirectJobAction = Exclude<JobAction, 'reprint'>;

export async function callJobAction(jobId: string, action: DirectJobAction): Promise<void> {
  if (action === 'retry') await api.call('printJobs.retry', { id: jobId });
  else if (action === 'cancel') await api.call('printJobs.cancel', { id: jobId });
  else await api.call('printJobs.resolveUncertain', { id: jobId, resolution: action === 'resolvePrinted' ? 'printed' : 'reprint' });
}
