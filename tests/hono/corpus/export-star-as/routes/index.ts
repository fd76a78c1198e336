export * as users from "./users";
