export * from "./TableViewService";
export * from "./systemPresets";
export * from "./types";
