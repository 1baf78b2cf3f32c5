export * from "./DefaultEvalModelService";
