export * from './getZoneFromDepartment';
export * from './isValidPhone';
export * from './getFiltersObjectsFromQueryParams';
export * from './searchInColumnWhereOption';
