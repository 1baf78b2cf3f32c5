export { FormationSkill } from './formation-skill.model';
export { Formation } from './formation.model';
