export * from "./types";
export * from "./buildProjectNotificationSlackMessage";
export * from "./dispatchProjectNotification";
