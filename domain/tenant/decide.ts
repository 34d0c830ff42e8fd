import { conflict } from '../shared/domain-error';
import type { Plan, TenantEvent } from './events';
import type { TenantState } from './state';

export type CreateTenant = {
  type: 'CreateTenant';
  tenantId: string;
  name: string;
  subdomain: string;
  plan: Plan;
};

export type TenantCommand = CreateTenant;

export function decideTenant(command: TenantCommand, state: TenantState): TenantEvent[] {
  if (state.kind === 'created') throw conflict('tenant-already-exists', 'This tenant already exists.');
  const { tenantId, name, plan } = command;
  return [{ type: 'TenantCreated', data: { tenantId, name, subdomain: command.subdomain.toLowerCase(), plan } }];
}
