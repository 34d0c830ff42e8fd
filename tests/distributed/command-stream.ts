import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { TokenService } from '../../infra/auth/jwt';

export type StreamResult = { sent: number; accepted: number; byStatus: Record<string, number> };

type Owned = { active: string[]; suspended: string[]; inactive: string[] };

/**
 * A stream of `commands` commands against a command API, from `concurrency` workers over a few
 * tenants: registrations, detail changes, suspensions, reactivations, deactivations and activity
 * batches. Each worker acts only on the members it registered, so every command is one the domain
 * accepts, and refusals would point at a fault, not at the generator.
 */
export async function runCommandStream(
  api: FastifyInstance, tokens: TokenService,
  options: { commands: number; concurrency: number; tenants: number; onProgress?: (sent: number) => void },
): Promise<StreamResult> {
  // As a well-behaved client: a 429 did nothing, so it is sent again after its Retry-After.
  const call = async (method: string, url: string, token: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const reply = await api.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
    if (reply.statusCode === 429) {
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(reply.headers['retry-after'] ?? 1)));
      return call(method, url, token, body);
    }
    return { status: reply.statusCode, body: JSON.parse(reply.body || '{}') };
  };
  const platform = await tokens.sign({ userId: 'operator', tenantId: uuidv7(), roles: ['platform'] });
  const tenants = await Promise.all(Array.from({ length: options.tenants }, async (_, n) => {
    const created = await call('POST', '/v1/tenants', platform, { name: `Club ${n}`, subdomain: `club${uuidv7().slice(-12)}`, plan: 'enterprise' });
    const token = await tokens.sign({ userId: 'owner', tenantId: created.body.tenantId, roles: ['owner'] });
    const type = await call('POST', '/v1/membership-types', token, { name: 'Standard', monthlyPriceCents: 1200, currency: 'EUR', features: [] });
    return { token, membershipTypeId: type.body.membershipTypeId as string };
  }));
  const result: StreamResult = { sent: 0, accepted: 0, byStatus: {} };
  const pick = (ids: string[]) => ids.splice(Math.floor(Math.random() * ids.length), 1)[0]!;

  await Promise.all(Array.from({ length: options.concurrency }, async (_, worker) => {
    const tenant = tenants[worker % tenants.length]!;
    const owned: Owned = { active: [], suspended: [], inactive: [] };
    while (result.sent < options.commands) {
      const n = result.sent++;
      const roll = Math.random();
      let reply: { status: number; body: any };
      if (roll < 0.25 || owned.active.length < 3) {
        reply = await call('POST', '/v1/members', tenant.token, {
          email: `w${worker}-${n}@example.org`, firstName: 'Member', lastName: `${n}`,
          ...(n % 2 === 0 ? { membershipTypeId: tenant.membershipTypeId } : {}),
        });
        if (reply.status === 201) owned.active.push(reply.body.memberId);
      } else if (roll < 0.4) {
        const memberId = owned.active[Math.floor(Math.random() * owned.active.length)]!;
        reply = await call('PATCH', `/v1/members/${memberId}`, tenant.token, { lastName: `Renamed ${n}` });
      } else if (roll < 0.55) {
        const memberId = pick(owned.active);
        reply = await call('POST', `/v1/members/${memberId}/suspend`, tenant.token, { reason: 'unpaid' });
        owned.suspended.push(memberId);
      } else if (roll < 0.7 && owned.suspended.length > 0) {
        const memberId = pick(owned.suspended);
        reply = await call('POST', `/v1/members/${memberId}/reactivate`, tenant.token);
        owned.active.push(memberId);
      } else if (roll < 0.75) {
        const memberId = pick(owned.active);
        reply = await call('POST', `/v1/members/${memberId}/deactivate`, tenant.token, { reason: 'left' });
        owned.inactive.push(memberId);
      } else {
        const occurredAt = new Date().toISOString();
        const items = owned.active.slice(-3).map((memberId) => ({ memberId, type: 'login', occurredAt }));
        reply = await call('POST', '/v1/activities', tenant.token, { items });
      }
      result.byStatus[reply.status] = (result.byStatus[reply.status] ?? 0) + 1;
      if (reply.status < 300) result.accepted++;
      options.onProgress?.(result.sent);
    }
  }));
  return result;
}
