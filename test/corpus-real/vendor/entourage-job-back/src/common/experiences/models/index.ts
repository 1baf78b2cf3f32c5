export { ExperienceSkill } from './experience-skill.model';
export { Experience } from './experience.model';
