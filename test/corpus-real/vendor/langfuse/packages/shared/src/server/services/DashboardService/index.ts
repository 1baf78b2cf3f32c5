export * from "./DashboardService";
export * from "./types";
