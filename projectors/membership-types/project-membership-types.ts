import type { EventEnvelope } from '../../infra/event-store/port';
import type { SqlStatement } from '../runtime/projection';

/** Membership types (rm_membership_types). */
export function projectMembershipTypes(event: EventEnvelope): SqlStatement[] {
  if (event.type !== 'MembershipTypeCreated') return [];
  const data = event.data as Record<string, any>;
  return [{
    text: `INSERT INTO rm_membership_types (tenant_id, membership_type_id, name, description, monthly_price_cents,
             currency, features, created_at, revision)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    values: [event.tenantId, data.membershipTypeId, data.name, data.description, data.monthlyPriceCents, data.currency,
      JSON.stringify(data.features), event.occurredAt, event.streamRevision],
  }];
}
