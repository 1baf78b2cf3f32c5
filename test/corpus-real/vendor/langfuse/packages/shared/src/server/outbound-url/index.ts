export * from "./connection";
export * from "./fetch";
export * from "./noProxy";
export * from "./validation";
