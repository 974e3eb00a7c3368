//! Keeps every window of the app on the app's own pages.
//!
//! The capability file already refuses commands to any other origin, but a window should
//! not show another page at all: a script that sets `location`, a `data:` URL or a link
//! to a web page would put content that is not Latchkey's under Latchkey's title bar.
//! Every navigation is checked here; one to anywhere else is refused and logged. The UI
//! has no links to the web, so nothing needs the system browser.

use tauri::plugin::TauriPlugin;
use tauri::{Manager as _, Runtime, Url};

/// The plugin that checks every navigation of every window.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|webview, url| {
            let dev_url = tauri::is_dev()
                .then(|| webview.app_handle().config().build.dev_url.clone())
                .flatten();
            let allowed = is_app_page(url, dev_url.as_ref());
            if !allowed {
                // The scheme and host say where; the rest of a URL may carry anything.
                log::warn!(
                    "refused to navigate window {} to a {} page at {}",
                    webview.label(),
                    url.scheme(),
                    url.host_str().unwrap_or("no host")
                );
            }
            allowed
        })
        .build()
}

/// Whether `url` is one of the app's own pages: its assets through the custom protocol
/// (`tauri://localhost`, or `http(s)://tauri.localhost` on Windows), or, in a
/// development build only, the dev server's origin.
pub fn is_app_page(url: &Url, dev_url: Option<&Url>) -> bool {
    match (url.scheme(), url.host_str()) {
        ("tauri", Some("localhost")) | ("http" | "https", Some("tauri.localhost")) => true,
        _ => dev_url.is_some_and(|dev| dev.origin() == url.origin()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        text.parse().expect("a URL")
    }

    #[test]
    fn only_the_apps_own_pages_are_allowed() {
        for allowed in [
            "tauri://localhost/",
            "tauri://localhost/index.html#/admin",
            "http://tauri.localhost/",
            "https://tauri.localhost/#/audit",
        ] {
            assert!(is_app_page(&url(allowed), None), "{allowed}");
        }
        for refused in [
            "data:text/html,<h1>Sign in</h1>",
            "http://127.0.0.1:8080/",
            "https://attacker.example/",
            "http://localhost:5173/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "tauri://localhost.attacker.example/",
            "about:blank",
        ] {
            assert!(!is_app_page(&url(refused), None), "{refused}");
        }
    }

    #[test]
    fn the_dev_server_is_allowed_in_development_builds_only() {
        let dev = url("http://localhost:5173");
        assert!(is_app_page(
            &url("http://localhost:5173/#/admin"),
            Some(&dev)
        ));
        assert!(!is_app_page(&url("http://localhost:5174/"), Some(&dev)));
        assert!(!is_app_page(&url("http://localhost:5173/"), None));
    }
}
