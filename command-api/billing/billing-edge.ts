import type { ConnectedAccounts } from '../../infra/stripe/connected-accounts';
import type { PriceTable } from '../../infra/stripe/prices';
import type { WebhookRecords } from '../../infra/stripe/webhook-records';
import type { StreamStates } from '../stream-states';

/**
 * What applying a Stripe notification needs: the webhook route's and the scheduler's (which
 * applies parked notifications a failed delivery left behind) alike.
 */
export type BillingEdge = {
  streams: StreamStates;
  records: WebhookRecords;
  /** Which tenant a connected account belongs to (Connect events name the account). */
  connectedAccounts: ConnectedAccounts;
  prices: PriceTable;
  gracePeriodSeconds: number;
  /** How long a member's Stripe dues may stay past due before the subscription lapses (DESIGN §11). */
  memberGracePeriodSeconds: number;
  /** Billing commands of one tenant take turns in this process (they append to its one stream). */
  inTurn: <T>(tenantId: string, work: () => Promise<T>) => Promise<T>;
  now: () => string;
  newId: () => string;
  /** Told once a tenant's billing changed (the command API's tenant guard reads it again). */
  changed: (tenantId: string) => void;
};
