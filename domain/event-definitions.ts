import { activityEventDefinitions } from './activity/events';
import { claimEventDefinitions } from './claim/events';
import { invitationEventDefinitions } from './invitation/events';
import { memberEventDefinitions } from './member/events';
import { membershipTypeEventDefinitions } from './membership-type/events';
import type { EventDefinition } from './shared/event';
import { planUsageEventDefinitions } from './plan-usage/events';
import { tenantEventDefinitions } from './tenant/events';

/** Every persisted event type. Names are wire contracts: never rename one, add a schemaVersion. */
export const eventDefinitions: Record<string, EventDefinition> = {
  ...tenantEventDefinitions,
  ...claimEventDefinitions,
  ...membershipTypeEventDefinitions,
  ...memberEventDefinitions,
  ...activityEventDefinitions,
  ...planUsageEventDefinitions,
  ...invitationEventDefinitions,
};
