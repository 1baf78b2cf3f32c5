export { RecruitementAlert } from './recruitement-alert.model';
export { RecruitementAlertBusinessSector } from './recruitement-alert-business-sector.model';
export { RecruitementAlertSkill } from './recruitement-alert-skill.model';
export { RecruitementAlertNotifiedCandidate } from './recruitement-alert-notified-candidate.model';
