import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import { ApiError, call, callHost } from "./api";

describe("requests Tauri's IPC would refuse before the vault sees them", () => {
  it("are refused as typed bad input naming the field, and never sent", async () => {
    const sent: string[] = [];
    mockIPC((command) => {
      sent.push(command);
      return null;
    });
    const lone = "Eve \ud800";
    const error = await call("update_profile", { displayName: lone, phone: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "Validation", field: "displayName", reason: { kind: "malformed" } });

    let deep: unknown = "bottom";
    for (let i = 0; i < 2000; i += 1) deep = { deeper: deep };
    const nested = await call("audit_log", deep as never).catch((e: unknown) => e);
    expect(nested).toMatchObject({ code: "Validation", reason: { kind: "malformed" } });
    expect(sent).toEqual([]);
  });

  it("let well-formed text through, surrogate pairs included", async () => {
    const sent: unknown[] = [];
    mockIPC((_command, args) => {
      sent.push(args);
      return null;
    });
    await call("update_profile", { displayName: "Mina 😀 박", phone: null });
    expect(sent).toHaveLength(1);
  });
});

describe("the plugin's commands and the host's own", () => {
  it("go to the plugin under its name, and a host command's refusal is typed alike", async () => {
    const sent: string[] = [];
    mockIPC((command) => {
      sent.push(command);
      if (command === "list_notes") throw { code: "NotAuthenticated", message: "Please sign in." };
      return null;
    });
    await call("ping");
    const refused = await callHost("list_notes").catch((e: unknown) => e);
    expect(sent).toEqual(["plugin:latchkey|ping", "list_notes"]);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: "NotAuthenticated" });
  });
});
