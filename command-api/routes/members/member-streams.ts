import { decideMember, evolveMember, initialMemberState, type MemberState } from '../../../domain/member';
import { evolveMembershipType, initialMembershipTypeState } from '../../../domain/membership-type';
import { notFound } from '../../../domain/shared/domain-error';
import type { EventStore } from '../../../infra/event-store/port';
import { tenantStreamId } from '../../../infra/event-store/stream-name';
import { loadState, type CommandContext } from '../../handle-command';
import { hashedValue, type ClaimTarget } from '../../value-claims';

export const memberDecider = { decide: decideMember, evolve: evolveMember, initialState: initialMemberState };

export const memberStream = (tenantId: string, memberId: string) => tenantStreamId('member', tenantId, memberId);

/** The email claim of a tenant: emails are unique per tenant, case-insensitively. */
export function emailClaim(store: EventStore, tenantId: string, email: string): ClaimTarget {
  const value = email.toLowerCase();
  return {
    streamId: tenantStreamId('memberemail', tenantId, hashedValue(value)),
    value,
    conflictCode: 'email-already-used',
    holderDoesNotUseIt: async (holderId) => {
      const { state } = await loadState(store, memberStream(tenantId, holderId), memberDecider);
      return state.kind === 'absent' || state.email.toLowerCase() !== value;
    },
  };
}

/** A membership type of the caller's tenant, or a 404 (another tenant's id is simply unknown here). */
export async function loadMembershipType(store: EventStore, context: CommandContext, membershipTypeId: string) {
  const streamId = tenantStreamId('membershiptype', context.tenantId, membershipTypeId);
  const { state } = await loadState(store, streamId, { evolve: evolveMembershipType, initialState: initialMembershipTypeState });
  if (state.kind === 'absent') throw notFound('membership-type-not-found', 'No such membership type.');
  return state;
}

export function memberReply(memberId: string, result: { revision: number; position: number }, status = 200) {
  return { status, body: { memberId, revision: result.revision, position: result.position }, revision: result.revision };
}

export type LoadedMember = MemberState;
