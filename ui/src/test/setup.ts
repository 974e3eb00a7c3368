import { cleanup } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { dropDrafts } from "tauri-plugin-latchkey-api";
import { afterEach } from "vitest";

// The one afterEach for every test file: the tree is unmounted before the IPC mock goes,
// so that no effect of a page still on screen (the lock watch) meets a half-removed mock.
afterEach(() => {
  cleanup();
  clearMocks();
  window.localStorage.clear();
  // Unsaved edits are kept per person in memory, as the app keeps them across a switch.
  dropDrafts();
  window.history.replaceState(null, "", "#/");
});
