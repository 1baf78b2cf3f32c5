export const UserProfilesAttributes = [
  'id',
  'allowPhysicalEvents',
  'allowRemoteEvents',
  'currentJob',
  'department',
  'description',
  'introduction',
  'isAvailable',
  'linkedinUrl',
  'optInNewsletter',
  'optInRecommendations',
  'hasExternalCv',
  'hasPicture',
];

export const UserProfilesUserAttributes = [
  'id',
  'firstName',
  'lastName',
  'role',
  'lastConnection',
  'createdAt',
  'zone',
];
