//! The HTTP client `openidconnect` sends its requests through: reqwest, with redirects
//! off (a discovery or token request that is redirected could be sent somewhere the
//! issuer did not name) and a time limit.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use openidconnect::{HttpRequest, HttpResponse};

use crate::error::{Error, Result};

/// How long one request to the provider may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// How long the check whether the provider answers at all may take: a person is
/// waiting at the sign-in screen.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// A client for the provider's endpoints.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
}

impl Http {
    /// A client that follows no redirects and gives up after 15 seconds.
    pub fn new() -> Result<Self> {
        // rustls needs one crypto provider for the process; the app's updater may have
        // installed it already.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            #[allow(
                deprecated,
                reason = "ring is the provider the updater links; aws-lc-rs would add a C build"
            )]
            let provider = rustls::crypto::ring::default_provider();
            let _ = provider.install_default();
        }
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("Latchkey/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Unreachable(format!("HTTP client: {e}")))?;
        Ok(Self { client })
    }

    /// Whether `issuer`'s discovery document answers now, within three seconds: the
    /// provider can be reached for a sign-in.
    pub async fn answers(&self, issuer: &str) -> bool {
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim().trim_end_matches('/')
        );
        match self.client.get(url).timeout(PROBE_TIMEOUT).send().await {
            Ok(response) => response.status().is_success(),
            Err(e) => {
                log::info!("the identity provider does not answer: {e}");
                false
            }
        }
    }

    /// Sends one request as `openidconnect` built it.
    pub(crate) async fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (parts, body) = request.into_parts();
        let response = self
            .client
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await
            .map_err(|e| HttpError(e.to_string()))?;
        let mut reply = http_response(response.status(), response.headers().clone());
        *reply.body_mut() = response
            .bytes()
            .await
            .map_err(|e| HttpError(e.to_string()))?
            .to_vec();
        Ok(reply)
    }
}

/// The request future `openidconnect` awaits: boxed, so that it is `Send` for any
/// borrow of the client and a sign-in can run as a task of its own.
type Sending<'c> = Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send + 'c>>;

impl<'c> openidconnect::AsyncHttpClient<'c> for Http {
    type Error = HttpError;
    type Future = Sending<'c>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

fn http_response(status: reqwest::StatusCode, headers: reqwest::header::HeaderMap) -> HttpResponse {
    let mut reply = HttpResponse::new(Vec::new());
    *reply.status_mut() = status;
    *reply.headers_mut() = headers;
    reply
}

/// A request that did not get an answer; `openidconnect` wraps it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);
