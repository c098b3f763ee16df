// The request a piece of work is done for, carried across awaits (AsyncLocalStorage): a publish's request id
// goes into the jobs it enqueues, and a job's into the jobs it fans out, so one id follows the work end to end.
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` (and everything it awaits or schedules) on behalf of the request `requestId`. */
export function runForRequest<T>(requestId: string | undefined, work: () => T): T {
  return requestId ? storage.run({ requestId }, work) : work();
}

/** The id of the request the current work is done for, if any (a sample load or a timer has none). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
