import type { ConnectRegistry } from './connect-accounts';
import type { LifecycleContext } from './invoice-outcomes';
import type { StandInStore } from './stand-in-store';

/** The platform's own account and its connected accounts: where any object may live. */
export type AccountScopes = { platform: LifecycleContext; connect: ConnectRegistry };

/** The lifecycle context of one connected account: its store, its Connect events. */
export function connectedScope(scopes: AccountScopes, accountId: string): LifecycleContext | undefined {
  const connected = scopes.connect.accounts.get(accountId);
  if (connected === undefined) return undefined;
  const { platform } = scopes;
  return { store: connected.store, events: platform.events.forAccount(accountId), now: platform.now, account: accountId };
}

/**
 * The account that holds an object, found by its id. Ids are random and never shared between
 * accounts, so the control surface (`completeCheckout(id)`, `failPayment(id)`, …) needs no account
 * argument. Falls back to the platform, whose lookup then reports the unknown id.
 */
export function scopeHolding(scopes: AccountScopes, holds: (store: StandInStore) => boolean): LifecycleContext {
  if (holds(scopes.platform.store)) return scopes.platform;
  for (const id of scopes.connect.accounts.keys()) {
    const scope = connectedScope(scopes, id);
    if (scope !== undefined && holds(scope.store)) return scope;
  }
  return scopes.platform;
}
