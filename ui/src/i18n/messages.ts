// The message catalogues, one file per language; a test checks that both have the same
// keys and placeholders.
export { en } from "./en";
export type { MessageKey } from "./en";
export { ko } from "./ko";
