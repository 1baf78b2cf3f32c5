export * from "./localCache";
