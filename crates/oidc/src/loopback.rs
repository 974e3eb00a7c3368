//! The loopback redirect listener of RFC 8252: bound to `127.0.0.1` on a port the OS
//! picks, it reads one request, answers it with a page that sends the person back to
//! Latchkey, and closes. The request decides the sign-in: the wrong path, the wrong
//! `state` or a provider's error ends it.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::error::{Error, Result};

/// The path of the redirect URI.
pub const CALLBACK_PATH: &str = "/callback";

/// The longest request line read; a real redirect is far shorter.
const MAX_REQUEST_LINE: u64 = 8 * 1024;

/// What the browser shows after the redirect, in both of Latchkey's languages.
const PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Latchkey</title></head>\
<body style=\"font-family: sans-serif; margin: 3rem\"><h1>Latchkey</h1>\
<p>You can close this tab and go back to Latchkey.</p>\
<p lang=\"ko\">이 탭을 닫고 Latchkey로 돌아가세요.</p></body></html>";

/// A listener waiting for the browser's one redirect.
#[derive(Debug)]
pub struct Loopback {
    listener: TcpListener,
    port: u16,
}

impl Loopback {
    /// Opens the listener on `127.0.0.1` and a free port.
    pub async fn bind() -> Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| Error::Listener(e.to_string()))?;
        let port = listener
            .local_addr()
            .map_err(|e| Error::Listener(e.to_string()))?
            .port();
        Ok(Self { listener, port })
    }

    /// The redirect URI to register with this sign-in: `http://127.0.0.1:PORT/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Waits up to `timeout` for one request and returns its authorization code. The
    /// listener closes either way. `state` is this sign-in's; `issuer` the provider's.
    pub async fn receive(self, state: &str, issuer: &str, timeout: Duration) -> Result<String> {
        let accepted = tokio::time::timeout(timeout, self.listener.accept())
            .await
            .map_err(|_| Error::TimedOut)?;
        let (stream, _) = accepted.map_err(|e| Error::Listener(e.to_string()))?;
        let (read, mut write) = stream.into_split();
        let mut reader = BufReader::new(read).take(MAX_REQUEST_LINE);
        let mut line = String::new();
        tokio::time::timeout(timeout, reader.read_line(&mut line))
            .await
            .map_err(|_| Error::TimedOut)?
            .map_err(|e| Error::Listener(e.to_string()))?;
        let outcome = read_redirect(&line, state, issuer);
        let status = if outcome.is_ok() {
            "200 OK"
        } else {
            "400 Bad Request"
        };
        let reply = format!(
            "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\n{PAGE}",
            PAGE.len()
        );
        let _ = write.write_all(reply.as_bytes()).await;
        let _ = write.shutdown().await;
        outcome
    }
}

/// The code in a request line `GET /callback?code=..&state=.. HTTP/1.1`, after the checks.
fn read_redirect(line: &str, state: &str, issuer: &str) -> Result<String> {
    let mut parts = line.split_whitespace();
    let (Some("GET"), Some(target)) = (parts.next(), parts.next()) else {
        return Err(Error::WrongPath);
    };
    let url =
        url::Url::parse(&format!("http://127.0.0.1{target}")).map_err(|_| Error::WrongPath)?;
    if url.path() != CALLBACK_PATH {
        return Err(Error::WrongPath);
    }
    let value = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    if value("state").as_deref() != Some(state) {
        return Err(Error::StateMismatch);
    }
    if let Some(from) = value("iss")
        && from != issuer
    {
        return Err(Error::IssuerMismatch);
    }
    if let Some(error) = value("error") {
        return Err(Error::Denied(error));
    }
    value("code")
        .filter(|code| !code.is_empty())
        .ok_or_else(|| Error::Denied("no code".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "https://id.example.org";

    #[test]
    fn a_redirect_is_read_only_on_the_callback_path_with_this_state() {
        let ok = "GET /callback?code=abc&state=s1&iss=https%3A%2F%2Fid.example.org HTTP/1.1\r\n";
        assert_eq!(read_redirect(ok, "s1", ISSUER).ok().as_deref(), Some("abc"));
        assert!(matches!(
            read_redirect("GET /other?code=abc&state=s1 HTTP/1.1", "s1", ISSUER),
            Err(Error::WrongPath)
        ));
        assert!(matches!(
            read_redirect("GET /callback?code=abc&state=s2 HTTP/1.1", "s1", ISSUER),
            Err(Error::StateMismatch)
        ));
        assert!(matches!(
            read_redirect("GET /callback?code=abc HTTP/1.1", "s1", ISSUER),
            Err(Error::StateMismatch)
        ));
        assert!(matches!(
            read_redirect(
                "GET /callback?code=abc&state=s1&iss=https%3A%2F%2Fevil.example HTTP/1.1",
                "s1",
                ISSUER
            ),
            Err(Error::IssuerMismatch)
        ));
        assert!(matches!(
            read_redirect("GET /callback?error=access_denied&state=s1 HTTP/1.1", "s1", ISSUER),
            Err(Error::Denied(reason)) if reason == "access_denied"
        ));
        assert!(matches!(
            read_redirect("POST /callback?code=abc&state=s1 HTTP/1.1", "s1", ISSUER),
            Err(Error::WrongPath)
        ));
        assert!(matches!(
            read_redirect("", "s1", ISSUER),
            Err(Error::WrongPath)
        ));
    }
}
