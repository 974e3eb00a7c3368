// The one place the UI decides what a role sees: which pages, which navigation links,
// which banners and which dashboard. It only shapes the screen; every command checks the
// role again in Rust.
import type { CurrentUser } from "./bindings";

/** Who a page or a part of the screen is for. */
export type Audience = "public" | "signedIn" | "admin";

/** Whether `user` (`null` when nobody is signed in) may see what is meant for `audience`. */
export function maySee(user: CurrentUser | null, audience: Audience): boolean {
  switch (audience) {
    case "public":
      return true;
    case "signedIn":
      return user !== null;
    case "admin":
      return user !== null && user.role === "admin" && !user.mustChangePassword;
  }
}
