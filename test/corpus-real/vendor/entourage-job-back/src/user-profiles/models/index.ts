export * from './user-profile.model';
export * from './user-profile-sector-occupation.model';
export * from './help-offer.model';
export * from './help-need.model';
