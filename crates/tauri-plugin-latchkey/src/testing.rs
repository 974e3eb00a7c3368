//! For hosts' tests on Tauri's mock runtime (feature `test-support`): calls a command
//! exactly as the webview would, through the app's capability, and reads the reply.

use serde_json::Value;
use tauri::WebviewWindow;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response};
use tauri::webview::InvokeRequest;

/// The origin of the app's own pages.
pub const APP_ORIGIN: &str = "tauri://localhost";

/// Sends `cmd` (`plugin:latchkey|login`, or a host's own command) with `args` from a
/// page at `origin` in `webview`: the reply's JSON, or the refusal's (a typed reply, or
/// Tauri's own text when the capability refuses).
pub fn invoke_from(
    webview: &WebviewWindow<MockRuntime>,
    origin: &str,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let url = origin
        .parse()
        .map_err(|e| Value::String(format!("bad origin {origin}: {e}")))?;
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url,
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    let body = get_ipc_response(webview, request)?;
    body.deserialize::<Value>()
        .map_err(|e| Value::String(format!("unreadable reply: {e}")))
}

/// [`invoke_from`] the app's own pages.
pub fn invoke(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    invoke_from(webview, APP_ORIGIN, cmd, args)
}
