export * from "./MediaPayloadProcessor";
export * from "./mediaService";
