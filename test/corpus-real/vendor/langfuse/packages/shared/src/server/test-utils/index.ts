export * from "./tracing-factory";
export * from "./clickhouse-helpers";
export * from "./org-factory";
