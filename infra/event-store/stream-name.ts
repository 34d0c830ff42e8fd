/**
 * Stream names are `<category>-<id>` with no dash in the category (EventStoreDB takes the category
 * from the part before the first dash). Tenant-owned streams put the tenant first in the id, so a
 * caller holding tenant A's token can only ever name tenant A's streams: this file is the one place
 * where that rule lives.
 */
export type TenantCategory = 'tenant' | 'member' | 'membershiptype' | 'memberemail' | 'activity' | 'planusage' | 'invitation';
/**
 * Platform-wide streams: values unique across tenants. `invitationtoken`: an invitation token's
 * hash, claimed by its invitation (the accept request names no tenant, its event says which).
 */
export type PlatformCategory = 'subdomain' | 'invitationtoken';

const separator = '_';

export function tenantStreamId(category: TenantCategory, tenantId: string, id?: string): string {
  return id === undefined ? `${category}-${tenantId}` : `${category}-${tenantId}${separator}${id}`;
}

/** Whether a stream is of the tenant category (the part before the first dash). */
export function isStreamOf(category: TenantCategory, streamId: string): boolean {
  return streamId.startsWith(`${category}-`);
}

export function platformStreamId(category: PlatformCategory, id: string): string {
  return `${category}-${id}`;
}

const platformCategories = new Set<string>(['subdomain', 'invitationtoken']);

/** The tenant a stream belongs to, or null for a platform-wide stream. */
export function tenantOfStream(streamId: string): string | null {
  const dash = streamId.indexOf('-');
  if (dash <= 0) throw new Error(`Stream name without a category: ${streamId}`);
  const category = streamId.slice(0, dash);
  if (platformCategories.has(category)) return null;
  const rest = streamId.slice(dash + 1);
  const end = rest.indexOf(separator);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The entity id of a tenant-owned stream (`member-<tenant>_<member>` → `<member>`). */
export function entityIdOfStream(streamId: string): string {
  return streamId.slice(streamId.indexOf(separator) + 1);
}
