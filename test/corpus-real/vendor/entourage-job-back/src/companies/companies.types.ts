export enum CompanyCreationContext {
  UNKNOWN = 'UNKNOWN',
  REGISTRATION = 'REGISTRATION',
  COACH_LINKING = 'COACH_LINKING',
}
