import { decideTenant, evolveTenant, initialTenantState } from '../domain/tenant';
import { tenantStreamId } from '../infra/event-store/stream-name';

export const tenantDecider = { decide: decideTenant, evolve: evolveTenant, initialState: initialTenantState };

export const tenantStream = (tenantId: string) => tenantStreamId('tenant', tenantId);
