// Set by ui/vite.config.ts when the UI is built: the workspace's version and the commit.
declare const __LATCHKEY_VERSION__: string;
declare const __LATCHKEY_COMMIT__: string;
