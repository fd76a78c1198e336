export { users } from "./users";
export { groups } from "./groups";
