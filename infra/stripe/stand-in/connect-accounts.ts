import type Stripe from 'stripe';
import type { EventFactory } from './event-factory';
import { newId } from './ids';
import { snapshot } from './object-diff';
import { createStore, type StandInStore } from './stand-in-store';

/** A connected account: its Account object and everything created on it (Stripe-Account requests). */
export type ConnectedAccount = { account: Stripe.Account; store: StandInStore };

/** Stripe keeps these internally; `visited` makes a link single-use, as Stripe's are. */
export type AccountLinkRecord = {
  id: string;
  account: string;
  refreshUrl: string;
  returnUrl: string;
  expiresAt: number;
  visited: boolean;
};

/** The platform's connected accounts and the onboarding links it made for them. */
export type ConnectRegistry = {
  accounts: Map<string, ConnectedAccount>;
  links: Map<string, AccountLinkRecord>;
};

export function createConnectRegistry(): ConnectRegistry {
  return { accounts: new Map(), links: new Map() };
}

/** What a new Express account must still provide before it can take payments. */
const ONBOARDING_REQUIREMENTS = ['business_type', 'external_account', 'tos_acceptance.date', 'tos_acceptance.ip'];

export type AccountInput = { type: Stripe.Account.Type; country: string; email: string | null; metadata: Record<string, string> };

/** A fresh account as Stripe returns it: nothing submitted, nothing enabled, requirements due. */
export function buildAccount(input: AccountInput, created: number): Stripe.Account {
  return {
    id: newId('acct'),
    object: 'account',
    business_profile: null,
    business_type: null,
    capabilities: {},
    charges_enabled: false,
    country: input.country,
    created,
    default_currency: input.country === 'US' ? 'usd' : 'eur',
    details_submitted: false,
    email: input.email,
    metadata: input.metadata,
    payouts_enabled: false,
    requirements: requirements(false),
    type: input.type,
  };
}

function requirements(complete: boolean): Stripe.Account.Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: complete ? [] : [...ONBOARDING_REQUIREMENTS],
    disabled_reason: complete ? null : 'requirements.past_due',
    errors: [],
    eventually_due: complete ? [] : [...ONBOARDING_REQUIREMENTS],
    past_due: complete ? [] : [...ONBOARDING_REQUIREMENTS],
    pending_verification: [],
  };
}

export function addAccount(registry: ConnectRegistry, account: Stripe.Account): ConnectedAccount {
  // A connected account starts with an empty catalogue: its products and prices are made through the API.
  const connected = { account, store: createStore(new Map()) };
  registry.accounts.set(account.id, connected);
  return connected;
}

/** For the control surface, where an unknown id is a bug in the caller, not a Stripe error. */
export function requireAccount(registry: ConnectRegistry, id: string): ConnectedAccount {
  const connected = registry.accounts.get(id);
  if (connected === undefined) throw new Error(`stripe stand-in: no connected account ${id}`);
  return connected;
}

export type AccountChange = { onboarded?: true; chargesEnabled?: boolean };

/**
 * Finishing onboarding submits the details and enables charges and payouts, clearing the
 * requirements; `chargesEnabled` flips charges alone (as when Stripe pauses an account). One
 * account.updated as a Connect event of that account, or nothing when nothing changed.
 */
export function changeAccount(registry: ConnectRegistry, events: EventFactory, id: string, change: AccountChange): Stripe.Event[] {
  const { account } = requireAccount(registry, id);
  const before = snapshot(account);
  if (change.onboarded) {
    account.details_submitted = true;
    account.charges_enabled = true;
    account.payouts_enabled = true;
    account.capabilities = { card_payments: 'active', transfers: 'active' };
    account.requirements = requirements(true);
  }
  if (change.chargesEnabled !== undefined) account.charges_enabled = change.chargesEnabled;
  if (JSON.stringify(before) === JSON.stringify(snapshot(account))) return [];
  return [events.forAccount(id).accountUpdated(before, account)];
}
