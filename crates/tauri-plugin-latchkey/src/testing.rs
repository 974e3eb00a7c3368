//! For hosts' tests on Tauri's mock runtime (feature `test-support`): a vault file with
//! cheap argon2 parameters and a fixed clock, and a command called exactly as the
//! webview would, through the app's capability.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use tauri::WebviewWindow;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response};
use tauri::webview::InvokeRequest;
use vault::{
    CurrentUser, FirstAdmin, FixedClock, HashParams, MemoryStore, SessionPolicy, Vault,
    VaultOptions,
};

/// Opens (or creates) a vault at `path` for a test: argon2 at the test parameters,
/// sessions in memory, time from `clock`.
pub fn open_vault(path: &Path, clock: Arc<FixedClock>) -> vault::Result<Arc<Vault>> {
    let options = VaultOptions {
        hash_params: Some(HashParams::insecure_for_tests()),
        session_policy: SessionPolicy::default(),
        clock,
    };
    Ok(Arc::new(Vault::open(
        path,
        Arc::new(MemoryStore::new()),
        options,
    )?))
}

/// Creates the first admin of an empty `vault`, who is then signed in.
pub fn first_admin(
    vault: &Vault,
    email: &str,
    display_name: &str,
    password: &str,
) -> vault::Result<CurrentUser> {
    vault.create_first_admin(&FirstAdmin {
        email: email.into(),
        display_name: display_name.into(),
        password: password.into(),
    })
}

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
