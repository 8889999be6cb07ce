// node: the strategies entry for Node only (loading a user's strategy file); index.ts stays browser-safe.
export * from "./index.js";
export { loadUserStrategy, type ModuleImporter } from "./user-strategy.js";
