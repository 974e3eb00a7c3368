// Where the router guard sends each visitor: the desktop counterpart of the guide's
// middleware. It is convenience only; every command checks the session again.
import type { AuthState } from "tauri-plugin-latchkey-api";
import type { Path } from "./router";

const PUBLIC_PAGES: readonly string[] = ["/login", "/setup"];

/** The path to show for `path` in `state`; `null` while the state is still loading. */
export function guard(state: AuthState, path: Path | "/"): Path | null {
  switch (state.status) {
    case "loading":
      return null;
    case "setup":
      return "/setup";
    case "signedOut":
      return "/login";
    case "locked":
      // Only the lock screen is drawn; after the unlock the guard runs again.
      return path === "/" || PUBLIC_PAGES.includes(path) ? "/dashboard" : path;
    case "signedIn":
      if (state.user.mustChangePassword) return "/change-password";
      if (state.user.secondFactorDue) return "/two-step";
      if (path === "/" || PUBLIC_PAGES.includes(path)) return "/dashboard";
      return path;
  }
}
