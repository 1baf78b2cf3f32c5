export * from "./DefaultViewService";
export * from "./types";
