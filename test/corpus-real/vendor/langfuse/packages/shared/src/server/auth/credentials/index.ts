export * from "./types";
export * from "./RefreshingTokenManager";
