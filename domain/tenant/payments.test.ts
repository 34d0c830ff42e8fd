import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deciderSpec } from '../shared/decider-spec';
import { shuffled } from './billing-fixtures';
import { decideTenant, evolveTenant, initialTenantState, type TenantEvent } from './index';

const tenants = deciderSpec({ decide: decideTenant, evolve: evolveTenant, initialState: initialTenantState });
const tenantId = '0190a000-0000-7000-8000-0000000000f1';
const created: TenantEvent = { type: 'TenantCreated', data: { tenantId, name: 'Chess Club', subdomain: 'chess', plan: 'pro' } };
const opened: TenantEvent = { type: 'TenantPaymentsAccountOpened', data: { accountId: 'acct_1' } };
const update = (chargesEnabled: boolean, created: number, eventId: string) =>
  ({ type: 'RecordPaymentsAccountUpdate', accountId: 'acct_1', chargesEnabled, order: { created, eventId } }) as const;
const updated = (chargesEnabled: boolean, created: number, eventId: string): TenantEvent =>
  ({ type: 'TenantPaymentsAccountUpdated', data: { accountId: 'acct_1', chargesEnabled, order: { created, eventId } } });

test('a tenant opens one connected account; opening again, even another one, changes nothing', () => {
  tenants.given([created]).when({ type: 'OpenPaymentsAccount', accountId: 'acct_1' }).then([opened]);
  tenants.given([created, opened]).when({ type: 'OpenPaymentsAccount', accountId: 'acct_1' }).then([]);
  tenants.given([created, opened]).when({ type: 'OpenPaymentsAccount', accountId: 'acct_2' }).then([]);
});

test('account updates apply only to the tenant’s account, and only when newer than the last one applied', () => {
  tenants.given([created, opened]).when(update(true, 100, 'evt_b')).then([updated(true, 100, 'evt_b')]);
  // A duplicate, an older one, and one of the same second with a smaller event id: nothing new.
  tenants.given([created, opened, updated(true, 100, 'evt_b')]).when(update(true, 100, 'evt_b')).then([]);
  tenants.given([created, opened, updated(true, 100, 'evt_b')]).when(update(false, 90, 'evt_c')).then([]);
  tenants.given([created, opened, updated(true, 100, 'evt_b')]).when(update(false, 100, 'evt_a')).then([]);
  tenants.given([created, opened]).when({ ...update(true, 100, 'evt_b'), accountId: 'acct_2' }).then([]);
  // An update overtaking the opening (the edge found the account linked to this tenant) opens it.
  tenants.given([created]).when(update(true, 100, 'evt_b')).then([opened, updated(true, 100, 'evt_b')]);
});

test('whatever order the updates arrive in, the newest decides', () => {
  const facts = [update(false, 100, 'evt_1'), update(true, 130, 'evt_3'), update(false, 120, 'evt_2'), update(true, 130, 'evt_0')];
  for (let seed = 1; seed <= 50; seed++) {
    let history: TenantEvent[] = [created, opened];
    for (const command of shuffled(facts, seed)) {
      const state = history.reduce(evolveTenant, initialTenantState);
      history = [...history, ...decideTenant(command, state)];
    }
    const state = history.reduce(evolveTenant, initialTenantState);
    assert.equal(state.kind === 'created' && state.payments, { accountId: 'acct_1', chargesEnabled: true, order: { created: 130, eventId: 'evt_3' } });
  }
});

test.run();
