export * from "./OtelIngestionProcessor";
export * from "./OtelMediaProcessor";
export * from "./internalTraceOtelWriter";
