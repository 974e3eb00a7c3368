// The signed-in state as a UI knows it. At start it asks the plugin whether the vault is
// empty (first run) and whether the keyring holds a live session; afterwards it follows
// sign-in, sign-out, and any command that finds the session gone. It only decides what
// to draw: every command checks the session again in Rust.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, call, onSessionEnd } from "./api";
import type { CurrentUser } from "./bindings";
import { maySee } from "./access";
import type { Audience } from "./access";

/** Who is at the keyboard, as far as the UI knows. */
export type AuthState =
  | { status: "loading" }
  | { status: "setup" }
  | { status: "signedOut"; notice?: "expired" | "signedOut" }
  | { status: "signedIn"; user: CurrentUser };

export interface Auth {
  state: AuthState;
  /** Whether sessions survive a restart on this computer (the OS keyring works). */
  staySignedIn: boolean;
  signedIn(user: CurrentUser): void;
  signOut(): Promise<void>;
  /** Asks the app again whether the vault is empty and who is signed in. */
  refresh(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** The signed-in state and what changes it; inside a `SessionProvider`. */
export function useSession(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useSession outside SessionProvider");
  return auth;
}

/** The signed-in person; only for pages the guard shows to signed-in people. */
export function useCurrentUser(): CurrentUser {
  const { state } = useSession();
  if (state.status !== "signedIn") throw new Error("useCurrentUser while signed out");
  return state.user;
}

/** What the app knows at start: who is signed in, and whether that lasts a restart. */
export interface InitialAuth {
  state: AuthState;
  staySignedIn: boolean;
}

/**
 * Asks the app whether the vault is empty and who is signed in. `main.tsx` calls it
 * before React's first render, so the first screen drawn is the right one rather than
 * a loading notice; it never rejects.
 */
export async function loadInitialAuth(): Promise<InitialAuth> {
  try {
    return await initialState();
  } catch {
    return { state: { status: "signedOut" }, staySignedIn: true };
  }
}

async function initialState(): Promise<InitialAuth> {
  const status = await call("bootstrap_status");
  if (status.needsFirstAdmin) return { state: { status: "setup" }, staySignedIn: status.staySignedIn };
  try {
    const user = await call("current_user");
    return { state: { status: "signedIn", user }, staySignedIn: status.staySignedIn };
  } catch (error) {
    if (error instanceof ApiError && error.code === "SessionExpired") {
      return { state: { status: "signedOut", notice: "expired" }, staySignedIn: status.staySignedIn };
    }
    return { state: { status: "signedOut" }, staySignedIn: status.staySignedIn };
  }
}

/**
 * Holds the signed-in state. With `initial` (from `loadInitialAuth`) it starts there;
 * without, it starts loading and asks the app itself.
 */
export function SessionProvider({ children, initial }: { children: ReactNode; initial?: InitialAuth | undefined }) {
  const [state, setState] = useState<AuthState>(initial?.state ?? { status: "loading" });
  const [staySignedIn, setStaySignedIn] = useState(initial?.staySignedIn ?? true);

  const refresh = useCallback(async () => {
    const next = await loadInitialAuth();
    setState(next.state);
    setStaySignedIn(next.staySignedIn);
  }, []);

  const loaded = initial !== undefined;
  useEffect(() => {
    if (!loaded) void refresh();
  }, [loaded, refresh]);

  useEffect(
    () =>
      onSessionEnd((code) =>
        setState((current) =>
          current.status === "signedIn"
            ? { status: "signedOut", notice: code === "SessionExpired" ? "expired" : "signedOut" }
            : current,
        ),
      ),
    [],
  );

  const signedIn = useCallback((user: CurrentUser) => {
    setStaySignedIn(user.staySignedIn);
    setState({ status: "signedIn", user });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await call("logout");
    } finally {
      setState({ status: "signedOut", notice: "signedOut" });
    }
  }, []);

  const value = useMemo(
    () => ({ state, staySignedIn, signedIn, signOut, refresh }),
    [state, staySignedIn, signedIn, signOut, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/**
 * Draws `children` only for a signed-in person who may see what is meant for `role`
 * (`"admin"`, or `"signedIn"` for anyone signed in), and `fallback` otherwise. It shapes
 * the screen only: the commands behind it check the role again in Rust.
 */
export function RequireRole({
  role,
  children,
  fallback = null,
}: {
  role: Exclude<Audience, "public">;
  children: ReactNode;
  fallback?: ReactNode;
}) {
  const { state } = useSession();
  const user = state.status === "signedIn" ? state.user : null;
  return <>{maySee(user, role) ? children : fallback}</>;
}
