-- The organisation's OpenID providers and the accounts they sign in.
--
-- A provider is a public client (no secret): the issuer, the client id, the scopes
-- beyond `openid`, which claim holds the email, and which claim value makes an admin.
-- Its discovery document and keys are cached with the time they were fetched, so the
-- sign-in screen can start without a round trip for them.
CREATE TABLE identity_providers (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    issuer         TEXT    NOT NULL UNIQUE,
    client_id      TEXT    NOT NULL,
    scopes         TEXT    NOT NULL,
    email_claim    TEXT    NOT NULL,
    -- The claim (a string or a list of strings) and the value in it that make an admin;
    -- both NULL when the provider never grants the admin role.
    admin_claim    TEXT,
    admin_value    TEXT,
    -- Whether a first sign-in may take over an existing account with the same verified
    -- email; otherwise such a sign-in is refused.
    link_by_email  INTEGER NOT NULL CHECK (link_by_email IN (0, 1)),
    -- How long after a person's last online sign-in their local password still signs
    -- them in while the provider cannot be reached; 0 turns offline sign-in off.
    offline_days   INTEGER NOT NULL CHECK (offline_days BETWEEN 0 AND 90),
    metadata       TEXT    NOT NULL,
    jwks           TEXT    NOT NULL,
    fetched_at     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    CHECK ((admin_claim IS NULL) = (admin_value IS NULL))
) STRICT;

-- One local account per (provider, subject): the stable pair a token names, never the
-- email, which can change. An account is linked to at most one provider.
CREATE TABLE identity_links (
    provider_id    INTEGER NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
    subject        TEXT    NOT NULL,
    user_id        INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    linked_at      INTEGER NOT NULL,
    -- The last sign-in the provider itself confirmed: the offline window counts from it.
    last_online_at INTEGER NOT NULL,
    -- When the provider refused this person's refresh token (disabled, signed out
    -- everywhere): offline sign-in is refused until their next online sign-in.
    refused_at     INTEGER,
    PRIMARY KEY (provider_id, subject)
) STRICT;
