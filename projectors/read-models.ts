import { projectInvitations } from './invitations/project-invitations';
import { projectMembers } from './members/project-members';
import { projectMembershipTypes } from './membership-types/project-membership-types';
import type { Projection } from './runtime/projection';
import { projectTenants } from './tenants/project-tenants';

/** The PostgreSQL read models the query API serves, applied together under one checkpoint. */
export const postgresReadModels: Projection = {
  name: 'postgres-read-models',
  project: (event) => [...projectTenants(event), ...projectMembershipTypes(event), ...projectMembers(event), ...projectInvitations(event)],
};
