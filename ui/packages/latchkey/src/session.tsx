// The signed-in state as a UI knows it. At start it asks the plugin whether the vault is
// empty (first run) and whether the keyring holds a live session; afterwards it follows
// sign-in, sign-out, locks and unlocks, and any command that finds the session gone or
// locked. It reports keyboard and pointer input as activity, so the plugin's auto-lock
// measures real absence. It only decides what to draw: every command checks the session
// again in Rust, and a locked session answers nothing but the lock screen's calls.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, call, lockScreenState, onSessionEnd, onSessionLocked, watchLock } from "./api";
import type { CurrentUser, LockScreenState } from "./bindings";
import { dropDrafts } from "./draftStore";
import { maySee } from "./access";
import type { Audience } from "./access";

/** Who is at the keyboard, as far as the UI knows. */
export type AuthState =
  | { status: "loading" }
  | { status: "setup" }
  | { status: "signedOut"; notice?: "expired" | "signedOut" | "pinLockout" }
  | {
      status: "signedIn";
      user: CurrentUser;
      /** After a sign-in with a recovery code: how many are left, for a reminder. */
      recoveryCodesLeft?: number;
    }
  /**
   * Only the lock screen, nothing behind it: the app started on locked sessions, or the
   * person at the keyboard signed out while others stay signed in here.
   */
  | { status: "locked" };

export interface Auth {
  state: AuthState;
  /**
   * The lock screen while it is up (the people signed in here, and whom it starts on),
   * else `null`. A session that locks while signed in keeps `state` as it was, so the
   * screens behind the lock keep what the person was typing; when someone else unlocks,
   * those screens go and the newcomer's are drawn fresh.
   */
  lock: LockScreenState | null;
  /** Locks the session now (the Lock button, Ctrl/Cmd+L). */
  lockNow(): Promise<void>;
  /** Unlocks one person's session with their password; rejects with the vault's error. */
  unlock(sessionId: string, password: string): Promise<void>;
  /**
   * Unlocks one person's session with their PIN; rejects with the vault's error. After
   * the last wrong try that session has ended.
   */
  unlockWithPin(sessionId: string, pin: string): Promise<void>;
  /**
   * When the session will lock unless more input comes (milliseconds since the epoch),
   * while signed in and unlocked; `null` otherwise.
   */
  lockDeadline: number | null;
  /** Whether sessions survive a restart on this computer (the OS keyring works). */
  staySignedIn: boolean;
  signedIn(user: CurrentUser, extras?: { recoveryCodesLeft: number }): void;
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
  /** The lock screen, when the app starts on one. */
  lock?: LockScreenState | null;
}

/** Input closer together than this is reported once. */
export const ACTIVITY_REPORT_MS = 5_000;
const ACTIVITY_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;

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
    // Locked, or nobody at the keyboard: others may still be signed in here.
    if (error instanceof ApiError && (error.code === "SessionLocked" || error.code === "NotAuthenticated")) {
      const lock = await lockScreenState();
      if (lock) return { state: { status: "locked" }, staySignedIn: status.staySignedIn, lock };
    }
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
  const [lock, setLock] = useState<LockScreenState | null>(initial?.lock ?? null);
  const [lockDeadline, setLockDeadline] = useState<number | null>(null);
  const stateRef = useRef(state);
  stateRef.current = state;
  // Bumped by every sign-in or unlock, so that a sign-out's answer arriving after one
  // cannot undo it.
  const arrivals = useRef(0);

  const refresh = useCallback(async () => {
    const next = await loadInitialAuth();
    setState(next.state);
    setStaySignedIn(next.staySignedIn);
    setLock(next.lock ?? null);
  }, []);

  const loaded = initial !== undefined;
  useEffect(() => {
    if (!loaded) void refresh();
  }, [loaded, refresh]);

  // After the person at the keyboard is gone (signed out, timed out, out of PIN tries):
  // the lock screen when others are still signed in here, else the sign-in page.
  const afterSessionEnd = useCallback(async (notice: "expired" | "signedOut" | "pinLockout") => {
    setLockDeadline(null);
    const gone = stateRef.current;
    if (gone.status === "signedIn") dropDrafts(gone.user.id);
    const arrived = arrivals.current;
    const others = await lockScreenState();
    if (arrivals.current !== arrived) return;
    setLock(others);
    setState((current) =>
      others
        ? { status: "locked" }
        : current.status === "signedIn" || current.status === "locked"
          ? { status: "signedOut", notice }
          : current,
    );
  }, []);

  useEffect(
    () => onSessionEnd((code) => void afterSessionEnd(code === "SessionExpired" ? "expired" : "signedOut")),
    [afterSessionEnd],
  );

  // Whatever locked the session (a command refused, the idle timer, the OS), the lock
  // screen shows whose it is and why, asked from the plugin.
  const showLock = useCallback(async () => {
    try {
      const locked = await call("locked_session");
      setLock(locked);
      if (locked) setLockDeadline(null);
    } catch {
      // A session that is gone was reported to `onSessionEnd` already.
    }
  }, []);
  useEffect(() => onSessionLocked(() => void showLock()), [showLock]);
  const signedInNow = state.status === "signedIn";
  useEffect(() => (signedInNow ? watchLock(() => void showLock()) : undefined), [signedInNow, showLock]);

  // Input in the window is activity, reported at most every few seconds; the reply says
  // when the session would lock without more.
  const active = signedInNow && lock === null;
  const lastReport = useRef(0);
  useEffect(() => {
    if (!active) return;
    const report = () => {
      const now = Date.now();
      if (now - lastReport.current < ACTIVITY_REPORT_MS) return;
      lastReport.current = now;
      call("report_activity").then(
        (activity) => setLockDeadline(Date.now() + activity.lockAfterSeconds * 1000),
        () => undefined,
      );
    };
    lastReport.current = 0;
    report();
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, report, { passive: true, capture: true });
    return () => {
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, report, { capture: true });
    };
  }, [active]);

  const signedIn = useCallback((user: CurrentUser, extras?: { recoveryCodesLeft: number }) => {
    arrivals.current += 1;
    setStaySignedIn(user.staySignedIn);
    setLock(null);
    setState(extras ? { status: "signedIn", user, ...extras } : { status: "signedIn", user });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await call("logout");
    } finally {
      await afterSessionEnd("signedOut");
    }
  }, [afterSessionEnd]);

  const lockNow = useCallback(async () => {
    await call("lock_session");
    await showLock();
  }, [showLock]);

  const unlock = useCallback(
    async (sessionId: string, password: string) =>
      signedIn(await call("unlock_session", { sessionId, password })),
    [signedIn],
  );

  const unlockWithPin = useCallback(
    async (sessionId: string, pin: string) => {
      try {
        signedIn(await call("unlock_with_pin", { sessionId, pin }));
      } catch (error) {
        if (error instanceof ApiError && error.code === "WrongPin" && error.remainingTries === 0) {
          await afterSessionEnd("pinLockout");
        }
        throw error;
      }
    },
    [signedIn, afterSessionEnd],
  );

  const value = useMemo(
    () => ({ state, staySignedIn, lock, lockDeadline, signedIn, signOut, lockNow, unlock, unlockWithPin, refresh }),
    [state, staySignedIn, lock, lockDeadline, signedIn, signOut, lockNow, unlock, unlockWithPin, refresh],
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
