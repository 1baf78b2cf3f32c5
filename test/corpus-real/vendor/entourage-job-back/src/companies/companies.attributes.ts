export const companiesAttributes = [
  'id',
  'createdAt',
  'name',
  'description',
  'url',
  'hiringUrl',
  'linkedInUrl',
  'logoUrl',
  'goal',
];
