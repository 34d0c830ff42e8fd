import { platformScope } from '../../infra/auth/jwt';
import type { EmbeddedPlatform } from './build-platform';

export const demoSubdomain = 'demo';

/**
 * The tenant `npm start` provisions on first start, through the public command API like any
 * operator would. On later starts the subdomain claim tells which tenant it was.
 */
export async function ensureDemoTenant(platform: EmbeddedPlatform): Promise<{ tenantId: string; created: boolean }> {
  const claim = await platform.eventStore.readStream(`subdomain-${demoSubdomain}`);
  const owner = (claim.at(-1)?.data as { ownerId?: string } | undefined)?.ownerId;
  if (owner) return { tenantId: owner, created: false };
  const operator = await platform.tokens.sign({ userId: 'embedded-operator', tenantId: platformScope, roles: ['platform'] });
  const created = await platform.commandApi.inject({
    method: 'POST', url: '/v1/tenants', headers: { authorization: `Bearer ${operator}` },
    payload: { name: 'Demo Association', subdomain: demoSubdomain, plan: 'pro' },
  });
  if (created.statusCode !== 201) throw new Error(`Could not provision the demo tenant: ${created.body}`);
  const tenantId = created.json().tenantId as string;
  const admin = await platform.tokens.sign({ userId: 'demo-owner', tenantId, roles: ['owner'] });
  await platform.commandApi.inject({
    method: 'POST', url: '/v1/membership-types', headers: { authorization: `Bearer ${admin}` },
    payload: { name: 'Standard', description: 'Everything a member needs', monthlyPriceCents: 1200, currency: 'EUR', features: ['newsletter', 'events'] },
  });
  return { tenantId, created: true };
}
