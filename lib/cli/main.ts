export { main } from "./program";
