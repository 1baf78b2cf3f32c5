export * from "./utilities";
export * from "./retry-handler";
