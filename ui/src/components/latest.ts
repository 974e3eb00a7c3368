// Replies can arrive out of order: a search typed on loads twice, and the first reply may
// come last. A list applies only the reply to its latest request.
import { useCallback, useEffect, useRef } from "react";

/**
 * Runs requests so that only the latest one's reply, or failure, is applied: an older
 * request that settles later is dropped, and so is everything after unmount.
 */
export function useLatest(): <T>(
  request: Promise<T>,
  apply: (value: T) => void,
  fail: (error: unknown) => void,
) => Promise<void> {
  const latest = useRef(0);
  useEffect(
    () => () => {
      latest.current += 1;
    },
    [],
  );
  return useCallback(async (request, apply, fail) => {
    latest.current += 1;
    const ticket = latest.current;
    try {
      const value = await request;
      if (ticket === latest.current) apply(value);
    } catch (error) {
      if (ticket === latest.current) fail(error);
    }
  }, []);
}
