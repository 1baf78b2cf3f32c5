export { Organization } from './organization.model';
export { OrganizationReferent } from './organization-referent.model';
