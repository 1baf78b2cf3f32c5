export { Skill } from './skill.model';
