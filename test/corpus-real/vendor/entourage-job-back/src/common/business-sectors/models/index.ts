export { BusinessSector } from './business-sector.model';
