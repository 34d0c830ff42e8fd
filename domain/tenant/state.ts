import { assertNever } from '../shared/event';
import type { Plan, TenantEvent } from './events';

export type TenantState =
  | { kind: 'absent' }
  | { kind: 'created'; tenantId: string; name: string; subdomain: string; plan: Plan };

export const initialTenantState: TenantState = { kind: 'absent' };

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantCreated':
      return { kind: 'created', ...event.data };
    default:
      return assertNever(event.type);
  }
}
