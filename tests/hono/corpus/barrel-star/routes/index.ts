export * from "./users";
export * from "./teams";
