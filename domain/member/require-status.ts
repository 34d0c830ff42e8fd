import { conflict } from '../shared/domain-error';
import type { Member, MemberStatus } from './state';

/** The status machine's guard: a transition not listed for the current status is a conflict. */
export function requireStatus(member: Member, allowed: MemberStatus[], code: string, message: string) {
  if (!allowed.includes(member.status)) throw conflict(code, `${message} This member is ${member.status}.`);
}
