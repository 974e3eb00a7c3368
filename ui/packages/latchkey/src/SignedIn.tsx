// The gate a host puts around its signed-in screens: the first-run wizard on an empty
// vault, the sign-in form when nobody is signed in, the password change while a
// temporary password is in force, and the host's own screens only after all of that;
// while the session is locked, the lock screen over them.
import type { ReactNode } from "react";
import { ChangePassword } from "./ChangePassword";
import { FirstRun } from "./FirstRun";
import { LockGuard, LockScreen } from "./LockScreen";
import { useSession } from "./session";
import { SignIn } from "./SignIn";

/**
 * Draws `children` for a signed-in person whose password is settled, and the screen
 * that gets them there otherwise. `loading` shows while the plugin is first asked.
 */
export function SignedIn({ children, loading = null }: { children: ReactNode; loading?: ReactNode }) {
  const { state } = useSession();
  switch (state.status) {
    case "loading":
      return <>{loading}</>;
    case "setup":
      return <FirstRun />;
    case "signedOut":
      return <SignIn />;
    case "locked":
      return <LockScreen />;
    case "signedIn":
      return <LockGuard>{state.user.mustChangePassword ? <ChangePassword /> : children}</LockGuard>;
  }
}
