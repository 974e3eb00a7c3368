// The app's own message catalogues, one file per language; a test checks that both have
// the same keys and placeholders. The sign-in pieces' catalogues come with the guest
// package, and `MessageKey` names a key of either.
import type { LatchkeyMessageKey } from "tauri-plugin-latchkey-api";
import type { AppMessageKey } from "./en";

export { en } from "./en";
export type { AppMessageKey } from "./en";
export { ko } from "./ko";
export type MessageKey = AppMessageKey | LatchkeyMessageKey;
