export * from "./mapObservationsTable";
export * from "./mapTracesTable";
export * from "./mapEventsTable";
export * from "./mapExperimentTable";
export * from "../../tableDefinitions/mapDashboards";
export * from "./mapScoresTable";
export * from "./mapDatasetRunItemsTable";
