import { test } from 'uvu';
import { deciderSpec } from '../shared/decider-spec';
import { decidePlanUsage, evolvePlanUsage, initialPlanUsageState, type PlanUsageEvent } from './index';

const spec = deciderSpec({ decide: decidePlanUsage, evolve: evolvePlanUsage, initialState: initialPlanUsageState });
const memberId = '0190a000-0000-7000-8000-000000000001';
const opened: PlanUsageEvent = { type: 'PlanUsageOpened', data: { memberSeats: 2, membershipTypes: 1 } };
const taken: PlanUsageEvent = { type: 'MemberSeatTaken', data: { memberId } };

test('a ledger opens once, with what the tenant already held', () => {
  spec.given([]).when({ type: 'OpenPlanUsage', memberSeats: 2, membershipTypes: 1 }).then([opened]);
  spec.given([opened]).when({ type: 'OpenPlanUsage', memberSeats: 9, membershipTypes: 9 }).then([]);
});

test('a seat is taken below the limit and refused at it; unlimited plans never refuse', () => {
  spec.given([opened]).when({ type: 'TakeMemberSeat', memberId, limit: 3 }).then([taken]);
  spec.given([opened, taken]).when({ type: 'TakeMemberSeat', memberId, limit: 3 }).thenRefuses('plan-limit-reached');
  spec.given([opened, taken]).when({ type: 'TakeMemberSeat', memberId, limit: null }).then([taken]);
});

test('membership types count against their own limit; releasing never goes below zero', () => {
  spec.given([opened]).when({ type: 'CountMembershipType', membershipTypeId: memberId, limit: 1 }).thenRefuses('plan-limit-reached');
  spec.given([]).when({ type: 'ReleaseMemberSeat', memberId }).then([]);
  spec.given([opened]).when({ type: 'ReleaseMemberSeat', memberId }).then([{ type: 'MemberSeatReleased', data: { memberId } }]);
});

test.run();
