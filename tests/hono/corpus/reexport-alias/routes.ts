export { router as billing } from "./billing";
