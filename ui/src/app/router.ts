// A small hash router: the window always loads index.html, and the hash holds the path.
import { useSyncExternalStore } from "react";

/** Every page's path, once, in the navigation's order; the route table (`routes.tsx`)
 * gives each its page and who may see it, and the type checker makes it cover them all. */
export const PATHS = [
  "/setup",
  "/login",
  "/change-password",
  "/two-step",
  "/dashboard",
  "/admin",
  "/accounts-file",
  "/audit",
  "/security",
  "/directory",
  "/profile",
  "/about",
] as const;

export type Path = (typeof PATHS)[number];

/** The current path, or "/" when the hash names no known page. */
export function currentPath(): Path | "/" {
  const raw = window.location.hash.replace(/^#/, "") || "/";
  return (PATHS as readonly string[]).includes(raw) ? (raw as Path) : "/";
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

export function usePath(): Path | "/" {
  return useSyncExternalStore(subscribe, currentPath);
}

export function navigate(path: Path, options: { replace?: boolean } = {}): void {
  const url = `#${path}`;
  if (options.replace) {
    window.history.replaceState(null, "", url);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = path;
  }
}
