import { decideMember, evolveMember, initialMemberState } from '../../../domain/member';
import { evolveMembershipType, initialMembershipTypeState } from '../../../domain/membership-type';
import { notFound } from '../../../domain/shared/domain-error';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import { refusal } from '../../../infra/http/openapi-responses';
import type { CommandContext } from '../../handle-command';
import { receiptOf } from '../command-receipt';
import type { StreamStates } from '../../stream-states';
import { hashedValue, type ClaimTarget } from '../../value-claims';

export const memberDecider = { decide: decideMember, evolve: evolveMember, initialState: initialMemberState };

const membershipTypeFolder = { evolve: evolveMembershipType, initialState: initialMembershipTypeState };

export const memberStream = (tenantId: string, memberId: string) => tenantStreamId('member', tenantId, memberId);

/** The email claim of a tenant: emails are unique per tenant, case-insensitively. */
export function emailClaim(streams: StreamStates, tenantId: string, email: string): ClaimTarget {
  const value = email.toLowerCase();
  return {
    streamId: tenantStreamId('memberemail', tenantId, hashedValue(value)),
    value,
    conflictCode: 'email-already-used',
    holderDoesNotUseIt: async (holderId) => {
      // Taking over a claim needs the holder's state as stored, not as this process remembers it.
      streams.forget(memberStream(tenantId, holderId));
      const { state } = await streams.load(memberStream(tenantId, holderId), memberDecider);
      return state.kind === 'absent' || state.email.toLowerCase() !== value;
    },
  };
}

/** A membership type of the caller's tenant, or a 404 (another tenant's id is simply unknown here). */
export async function loadMembershipType(streams: StreamStates, context: CommandContext, membershipTypeId: string) {
  const streamId = tenantStreamId('membershiptype', context.tenantId, membershipTypeId);
  let loaded = await streams.load(streamId, membershipTypeFolder);
  if (loaded.state.kind === 'absent' && loaded.cached) {
    streams.forget(streamId);
    loaded = await streams.load(streamId, membershipTypeFolder);
  }
  if (loaded.state.kind === 'absent') throw notFound('membership-type-not-found', 'No such membership type.');
  return loaded.state;
}

/** The answer of a command on one member. */
export const memberReplySchema = receiptOf('memberId');

/** A membership type named in the body that the tenant does not have. */
export const membershipTypeNotFound = refusal(404, 'membership-type-not-found');
/** Emails are unique per tenant (emailClaim). */
export const emailAlreadyUsed = refusal(409, 'email-already-used');

export function memberReply(memberId: string, result: { revision: number; position: number }, status = 200) {
  return { status, body: { memberId, revision: result.revision, position: result.position }, revision: result.revision };
}
