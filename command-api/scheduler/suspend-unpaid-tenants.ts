import { handleCommand, type CommandContext } from '../handle-command';
import type { StreamStates } from '../stream-states';
import { tenantDecider, tenantStream } from '../tenant-stream';
import type { DueWork } from './due-work';

/** Tenants past due whose grace period has ended are suspended (DESIGN §10); returns how many. */
export async function suspendUnpaidTenants(
  streams: StreamStates, due: DueWork, now: string, context: (tenantId: string) => CommandContext,
  onError: (error: unknown) => void,
): Promise<number> {
  let suspended = 0;
  for (const tenantId of await due.unpaidTenants(now)) {
    // One tenant failing (another process winning its stream many times over) stops no other.
    try {
      const result = await handleCommand(streams, tenantStream(tenantId), tenantDecider, { type: 'SuspendUnpaidTenant', now }, context(tenantId));
      if (result.changed) suspended += 1;
    } catch (error) {
      onError(error);
    }
  }
  return suspended;
}
