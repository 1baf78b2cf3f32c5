export * from "./DatasetItemValidator";
export * from "./DatasetSchemaValidator";
