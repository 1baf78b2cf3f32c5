export { UserAttributes } from './user.attributes';
export type { UserAttribute } from './user.attributes';

export { User } from './user.model';
export { UserSocialSituation } from '../../user-social-situations/models/user-social-situation.model';
