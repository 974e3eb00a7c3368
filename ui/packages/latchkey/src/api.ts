// The one way a UI talks to the plugin: typed commands over Tauri's IPC, sent to
// `plugin:latchkey|<command>`. Errors arrive as `ApiError` with the vault's stable code;
// the UI branches on the code, never on text. A host's own commands that take a
// `Session` argument refuse with the same replies, so `ApiError.from` reads those too.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { Commands, Conflict, ErrorCode, ErrorReply, ImportProgress, ImportedAccount, Invalid, LockReason } from "./bindings";

export type CommandName = keyof Commands;

/** Where the plugin's commands live on the IPC. */
export const PLUGIN_PREFIX = "plugin:latchkey|";
export type Request<C extends CommandName> = Commands[C]["request"];
export type Response<C extends CommandName> = Commands[C]["response"];

/** A failed command, as the vault described it. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly reason: Invalid | undefined;
  readonly conflict: Conflict | undefined;
  /** For `Locked`: seconds until the next attempt is allowed. */
  readonly retryAfter: number | undefined;
  /**
   * For `WrongPin`: tries left before the session ends (0: it has ended); for
   * `WrongCode`: before the password is needed again.
   */
  readonly remainingTries: number | undefined;
  /** For `CodeRequired`: the half-done sign-in to finish with a code. */
  readonly ticket: string | undefined;
  /** For `SessionLocked`: why the session was locked. */
  readonly lockReason: LockReason | undefined;

  constructor(reply: ErrorReply) {
    super(reply.message);
    this.name = "ApiError";
    this.code = reply.code;
    this.field = reply.field;
    this.reason = reply.reason;
    this.conflict = reply.conflict;
    this.retryAfter = reply.retryAfter;
    this.lockReason = reply.lockReason;
    this.remainingTries = reply.remainingTries;
    this.ticket = reply.ticket;
  }
}

type SessionEndListener = (code: "NotAuthenticated" | "SessionExpired") => void;
const sessionEndListeners = new Set<SessionEndListener>();

/** Called whenever a command finds the session gone; the auth state listens. */
export function onSessionEnd(listener: SessionEndListener): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

type SessionLockListener = (reason: LockReason) => void;
const sessionLockListeners = new Set<SessionLockListener>();

/** Called whenever a command finds the session locked; the auth state listens. */
export function onSessionLocked(listener: SessionLockListener): () => void {
  sessionLockListeners.add(listener);
  return () => sessionLockListeners.delete(listener);
}

function isErrorReply(value: unknown): value is ErrorReply {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

/**
 * The `ApiError` for whatever a failed `invoke` threw: the vault's typed reply, or an
 * `Internal` error around anything else. A session that turns out to be gone is
 * reported to the `onSessionEnd` listeners, whichever command found it.
 */
export function toApiError(raw: unknown): ApiError {
  const error = isErrorReply(raw) ? new ApiError(raw) : new ApiError({ code: "Internal", message: String(raw) });
  if (error.code === "NotAuthenticated" || error.code === "SessionExpired") {
    for (const listener of sessionEndListeners) listener(error.code);
  }
  if (error.code === "SessionLocked") {
    for (const listener of sessionLockListeners) listener(error.lockReason ?? "manual");
  }
  return error;
}

/**
 * Calls one of the host's own commands (one with a `Session` argument, say), with the
 * same error handling as the plugin's: a refusal arrives as an `ApiError`.
 */
export async function callHost<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toApiError(raw);
  }
}

/** The deepest nesting a request may have (Tauri's JSON parser stops at 128 levels). */
const MAX_DEPTH = 64;

/**
 * The field Tauri's IPC layer would refuse before any command runs, if any: a string with
 * a lone UTF-16 surrogate (its JSON cannot be read as UTF-8 text) or nesting deeper than
 * the parser allows. Such a refusal comes back as plain text rather than the vault's typed
 * reply, so the UI checks for both here and reports them as the vault reports bad input.
 * The vault's side stays closed either way: the request never reaches a command.
 */
function unsendable(value: unknown, field: string, depth = 0): string | null {
  if (typeof value === "string") return /\p{Cs}/u.test(value) ? field : null;
  if (typeof value !== "object" || value === null) return null;
  if (depth >= MAX_DEPTH) return field;
  for (const [key, inner] of Object.entries(value)) {
    const found = unsendable(inner, Array.isArray(value) ? field : key, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Hears about locks that no command of this window caused (the idle timer, the operating
 * system) through a channel the plugin keeps for the window. Returns a function that
 * stops listening.
 */
export function watchLock(onLock: (reason: LockReason) => void): () => void {
  const channel = new Channel<LockReason>();
  let listening = true;
  channel.onmessage = (reason) => {
    if (listening) onLock(reason);
  };
  invoke(`${PLUGIN_PREFIX}watch_lock`, { onLock: channel }).catch((raw: unknown) => {
    console.error("cannot watch for session locks", raw);
  });
  return () => {
    listening = false;
  };
}

/**
 * The lock screen, or `null` when someone is active or nobody is signed in here. Unlike
 * `call`, its "nobody here" answer is not reported to the `onSessionEnd` listeners: the
 * auth state asks it right after a session ended, and must not hear that end again.
 */
export async function lockScreenState(): Promise<Response<"locked_session">> {
  try {
    return await invoke<Response<"locked_session">>(`${PLUGIN_PREFIX}locked_session`, {});
  } catch {
    return null;
  }
}

/** Calls `command`; the request goes as the `request` argument when there is one. */
export async function call<C extends CommandName>(
  command: C,
  ...request: Request<C> extends null ? [] : [Request<C>]
): Promise<Response<C>> {
  return send(command, request.length > 0 ? { request: request[0] } : {});
}

/**
 * Imports an accounts CSV (`import_accounts`): `onProgress` hears how many temporary
 * passwords are ready as they are made, which for thousands of rows takes a while.
 */
export async function importAccounts(
  csv: string,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportedAccount[]> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return send("import_accounts", { request: { csv }, onProgress: channel });
}

async function send<C extends CommandName>(
  command: C,
  args: { request?: unknown; [other: string]: unknown },
): Promise<Response<C>> {
  const field = unsendable(args.request, "request");
  if (field !== null) {
    throw new ApiError({ code: "Validation", message: `The ${field} is not valid text.`, field, reason: { kind: "malformed" } });
  }
  try {
    return await invoke<Response<C>>(`${PLUGIN_PREFIX}${command}`, args);
  } catch (raw) {
    throw toApiError(raw);
  }
}
