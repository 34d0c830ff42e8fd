import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { platformScope, type TokenService } from '../../infra/auth/jwt';
import { fakePerson } from '../load/fake-people';
import { forEachConcurrently, type JsonClient } from '../load/http-client';
import type { BenchTenant } from './command-mix';

async function createTenant(client: JsonClient, tokens: TokenService, name: string, subdomain: string): Promise<BenchTenant> {
  const operator = await tokens.sign({ userId: 'bench', tenantId: platformScope, roles: ['platform'] });
  const tenant = await client.request('POST', '/v1/tenants', operator, { name, subdomain, plan: 'enterprise' });
  if (tenant.status !== 201) throw new Error(`tenant: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const token = await tokens.sign({ userId: 'bench', tenantId: tenant.body.tenantId, roles: ['owner'] }, '6h');
  const type = await client.request('POST', '/v1/membership-types', token, { name: 'Bench', monthlyPriceCents: 1000, currency: 'EUR', features: [] });
  return { tenantId: tenant.body.tenantId, token, membershipTypeId: type.body.membershipTypeId };
}

export async function createBenchTenants(client: JsonClient, tokens: TokenService, count: number, run: string) {
  const tenants: BenchTenant[] = [];
  for (let t = 0; t < count; t++) tenants.push(await createTenant(client, tokens, `Bench ${run} ${t}`, `bench-${run}-${t}`));
  return tenants;
}

/**
 * A tenant with `members` members for the list benchmark, created through the command API the
 * first time and remembered in DATA_DIR/bench-state.json, so later runs only top it up.
 */
export async function ensureLargeTenant(
  client: JsonClient, queryClient: JsonClient, tokens: TokenService, members: number, dataDir: string, log: (m: string) => void,
) {
  const statePath = path.join(dataDir, 'bench-state.json');
  let tenant: BenchTenant | undefined;
  if (existsSync(statePath)) {
    const saved = JSON.parse(await readFile(statePath, 'utf8')) as BenchTenant;
    const token = await tokens.sign({ userId: 'bench', tenantId: saved.tenantId, roles: ['owner'] }, '6h');
    const probe = await queryClient.request('GET', '/v1/tenant', token);
    if (probe.status === 200) tenant = { ...saved, token };
  }
  if (!tenant) {
    tenant = await createTenant(client, tokens, 'Bench large tenant', `bench-large-${randomUUID().slice(0, 8)}`);
    await writeFile(statePath, JSON.stringify({ tenantId: tenant.tenantId, membershipTypeId: tenant.membershipTypeId }));
  }
  const current = (await queryClient.request('GET', '/v1/members?limit=1', tenant.token)).body.total as number;
  const missing = Math.max(0, members - current);
  if (missing > 0) log(`creating ${missing} members (${current} exist)`);
  const salt = randomUUID().slice(0, 8);
  const started = Date.now();
  await forEachConcurrently(Array.from({ length: missing }, (_, n) => n), 32, async (n) => {
    const reply = await client.request('POST', '/v1/members', tenant!.token, { ...fakePerson(n, salt), membershipTypeId: tenant!.membershipTypeId });
    if (reply.status !== 201) throw new Error(`member: ${reply.status} ${JSON.stringify(reply.body)}`);
    if (n > 0 && n % 10_000 === 0) log(`  ${n}/${missing} (${Math.round(n / ((Date.now() - started) / 1000))}/s)`);
  });
  // Wait until the projection has caught up, so the list benchmark reads the full tenant.
  for (let total = 0; total < members;) {
    total = (await queryClient.request('GET', '/v1/members?limit=1', tenant.token)).body.total;
    if (total < members) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return tenant;
}
