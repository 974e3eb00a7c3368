//! Sign-in against a real OpenID provider on loopback: `tests/oidc/provider.mjs` (the
//! `oidc-provider` npm package, installed with the UI's packages), started by each test.
//! The test plays the browser: it follows the authorization URL with an HTTP client,
//! posts the provider's login and consent forms, and follows the redirect to the
//! loopback listener, as a person's browser would.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

#[path = "../../../tests/oidc/play.rs"]
mod play;

use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use oidc::{Attempt, Discovered, Error, Http, Loopback, TokenProblem, discover};
use play::{Provider, arrive, play_browser};

const CLIENT: &str = "latchkey-desk";
const PEOPLE: &str = r#"{
  "mina": {"email": "mina@clinic.example", "name": "Mina Park", "groups": ["desk-admins"]},
  "jo": {"email": "jo@clinic.example", "name": "Jo Lee", "groups": []}
}"#;
const WAIT: Duration = Duration::from_secs(20);

/// The provider, with `PEOPLE` in a file beside the test's.
async fn provider() -> Provider {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("latchkey-oidc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let people = dir.join("people.json");
    std::fs::write(&people, PEOPLE).unwrap();
    play::start_provider(&root, &people).await
}

const SCOPES: [&str; 3] = ["email", "profile", "groups"];

fn scopes() -> Vec<String> {
    SCOPES.map(str::to_owned).to_vec()
}

async fn discovered(provider: &Provider) -> (Http, Discovered) {
    let http = Http::new().unwrap();
    let discovered = discover(&http, &provider.issuer).await.unwrap();
    (http, discovered)
}

#[tokio::test]
async fn discovery_reads_the_document_and_the_keys() {
    let provider = provider().await;
    let (_, discovered) = discovered(&provider).await;
    assert_eq!(discovered.issuer, provider.issuer);
    let keys: serde_json::Value = serde_json::from_str(&discovered.jwks).unwrap();
    assert!(!keys["keys"].as_array().unwrap().is_empty());
    let metadata: serde_json::Value = serde_json::from_str(&discovered.metadata).unwrap();
    assert_eq!(
        metadata["authorization_endpoint"],
        format!("{}/auth", provider.issuer)
    );
}

#[tokio::test]
async fn discovery_refuses_another_issuer_and_reports_an_unreachable_one() {
    let provider = provider().await;
    let http = Http::new().unwrap();
    // A path the provider does not serve: no document.
    let wrong = discover(&http, &format!("{}/realms/other", provider.issuer)).await;
    assert!(
        matches!(wrong, Err(Error::DiscoveryInvalid(_))),
        "{wrong:?}"
    );
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let gone = discover(&http, &format!("http://{address}")).await;
    assert!(matches!(gone, Err(Error::Unreachable(_))), "{gone:?}");
    let bad = discover(&http, "not a url").await;
    assert!(
        matches!(
            bad,
            Err(Error::Setting {
                field: "issuer",
                ..
            })
        ),
        "{bad:?}"
    );
}

#[tokio::test]
async fn a_person_signs_in_through_the_browser_and_the_loopback() {
    let provider = provider().await;
    let (http, discovered) = discovered(&provider).await;
    let loopback = Loopback::bind().await.unwrap();
    let attempt = Attempt::begin(&discovered, CLIENT, &scopes(), &loopback.redirect_uri()).unwrap();
    let url = attempt.authorize_url().clone();
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["response_type"], "code");
    assert!(query["scope"].split(' ').any(|scope| scope == "openid"));
    assert!(!query["state"].is_empty() && !query["nonce"].is_empty());

    let back = play_browser(&url, "mina").await.unwrap();
    assert_eq!(back.path(), "/callback");
    let (code, ()) = tokio::join!(
        loopback.receive(attempt.state(), attempt.issuer(), WAIT),
        arrive(back)
    );
    let identity = attempt.finish(&http, code.unwrap()).await.unwrap();
    assert_eq!(identity.issuer, provider.issuer);
    assert_eq!(identity.subject, "mina");
    assert_eq!(identity.claims["email"], "mina@clinic.example");
    assert_eq!(identity.claims["email_verified"], true);
    assert_eq!(identity.claims["name"], "Mina Park");
    assert_eq!(
        identity.claims["groups"],
        serde_json::json!(["desk-admins"])
    );
}

#[tokio::test]
async fn a_redirect_with_another_state_or_path_is_refused() {
    let provider = provider().await;
    let (_, discovered) = discovered(&provider).await;

    let loopback = Loopback::bind().await.unwrap();
    let attempt = Attempt::begin(&discovered, CLIENT, &scopes(), &loopback.redirect_uri()).unwrap();
    let mut back = play_browser(attempt.authorize_url(), "jo").await.unwrap();
    let forged: Vec<(String, String)> = back
        .query_pairs()
        .into_owned()
        .map(|(k, v)| {
            if k == "state" {
                (k, "forged".into())
            } else {
                (k, v)
            }
        })
        .collect();
    back.query_pairs_mut().clear().extend_pairs(forged);
    let (refused, ()) = tokio::join!(
        loopback.receive(attempt.state(), attempt.issuer(), WAIT),
        arrive(back)
    );
    assert!(matches!(refused, Err(Error::StateMismatch)), "{refused:?}");

    let loopback = Loopback::bind().await.unwrap();
    let attempt = Attempt::begin(&discovered, CLIENT, &scopes(), &loopback.redirect_uri()).unwrap();
    let mut back = play_browser(attempt.authorize_url(), "jo").await.unwrap();
    back.set_path("/elsewhere");
    let (refused, ()) = tokio::join!(
        loopback.receive(attempt.state(), attempt.issuer(), WAIT),
        arrive(back)
    );
    assert!(matches!(refused, Err(Error::WrongPath)), "{refused:?}");

    // Nobody comes back.
    let loopback = Loopback::bind().await.unwrap();
    let waited = loopback
        .receive("state", &provider.issuer, Duration::from_millis(200))
        .await;
    assert!(matches!(waited, Err(Error::TimedOut)), "{waited:?}");
}

#[tokio::test]
async fn a_code_works_once_and_a_changed_or_expired_id_token_is_refused() {
    let provider = provider().await;
    let (http, discovered) = discovered(&provider).await;
    let loopback = Loopback::bind().await.unwrap();
    let redirect = loopback.redirect_uri();
    let attempt = Attempt::begin(&discovered, CLIENT, &scopes(), &redirect).unwrap();
    let back = play_browser(attempt.authorize_url(), "mina").await.unwrap();
    let (code, ()) = tokio::join!(
        loopback.receive(attempt.state(), attempt.issuer(), WAIT),
        arrive(back)
    );
    let code = code.unwrap();
    let exchanged = attempt.exchange(&http, code.clone()).await.unwrap();
    let now = Utc::now();
    exchanged.verify(now).unwrap();

    // The same code again, by a sign-in that never got it (and has another verifier).
    let again = Attempt::begin(&discovered, CLIENT, &scopes(), &redirect).unwrap();
    let replayed = again.exchange(&http, code).await;
    assert!(
        matches!(&replayed, Err(Error::CodeRefused(reason)) if reason == "invalid_grant"),
        "{replayed:?}"
    );

    // One character of the signature changed.
    let raw = exchanged.raw_id_token();
    let (signed, signature) = raw.rsplit_once('.').unwrap();
    let mut changed: Vec<char> = signature.chars().collect();
    changed[10] = if changed[10] == 'A' { 'B' } else { 'A' };
    let tampered = format!("{signed}.{}", changed.into_iter().collect::<String>());
    assert!(matches!(
        exchanged.verify_other(&tampered, now),
        Err(Error::Token(TokenProblem::Signature))
    ));
    // The same token a day later.
    assert!(matches!(
        exchanged.verify(now + chrono::Duration::days(1)),
        Err(Error::Token(TokenProblem::Expired))
    ));
    // Not a token at all.
    assert!(matches!(
        exchanged.verify_other("a.b", now),
        Err(Error::Token(TokenProblem::Malformed))
    ));
}

#[tokio::test]
async fn a_token_issued_to_another_app_is_refused() {
    let provider = provider().await;
    let (http, discovered) = discovered(&provider).await;
    let mut exchanged = Vec::new();
    for client in [CLIENT, "another-app"] {
        let loopback = Loopback::bind().await.unwrap();
        let attempt =
            Attempt::begin(&discovered, client, &scopes(), &loopback.redirect_uri()).unwrap();
        let back = play_browser(attempt.authorize_url(), "mina").await.unwrap();
        let (code, ()) = tokio::join!(
            loopback.receive(attempt.state(), attempt.issuer(), WAIT),
            arrive(back)
        );
        exchanged.push(attempt.exchange(&http, code.unwrap()).await.unwrap());
    }
    // Latchkey's sign-in is handed the other app's (genuine, signed) token.
    let other = exchanged[1].raw_id_token();
    let refused = exchanged[0].verify_other(&other, Utc::now());
    assert!(
        matches!(refused, Err(Error::Token(TokenProblem::Audience))),
        "{refused:?}"
    );
}
