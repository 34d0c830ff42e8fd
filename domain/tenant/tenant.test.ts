import { test } from 'uvu';
import { deciderSpec } from '../shared/decider-spec';
import { decideMembershipType, evolveMembershipType, initialMembershipTypeState, type CreateMembershipType } from '../membership-type';
import { decideTenant, evolveTenant, initialTenantState } from './index';

const tenants = deciderSpec({ decide: decideTenant, evolve: evolveTenant, initialState: initialTenantState });
const types = deciderSpec({ decide: decideMembershipType, evolve: evolveMembershipType, initialState: initialMembershipTypeState });
const tenantId = '0190a000-0000-7000-8000-0000000000f1';

test('a tenant is created once, with its subdomain in lower case', () => {
  const created = { type: 'TenantCreated', data: { tenantId, name: 'Chess Club', subdomain: 'chess', plan: 'pro' } } as const;
  tenants.given([]).when({ type: 'CreateTenant', tenantId, name: 'Chess Club', subdomain: 'Chess', plan: 'pro' }).then([created]);
  tenants.given([created]).when({ type: 'CreateTenant', tenantId, name: 'x', subdomain: 'x', plan: 'free' })
    .thenRefuses('tenant-already-exists');
});

test('a membership type is created once', () => {
  const command: CreateMembershipType = {
    type: 'CreateMembershipType', membershipTypeId: tenantId, name: 'Gold', description: null,
    monthlyPriceCents: 1500, currency: 'EUR', features: ['events'],
  };
  const { type: _t, ...data } = command;
  types.given([]).when(command).then([{ type: 'MembershipTypeCreated', data }]);
  types.given([{ type: 'MembershipTypeCreated', data }]).when(command).thenRefuses('membership-type-already-exists');
});

test.run();
