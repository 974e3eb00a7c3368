// An OpenID provider on loopback for the tests of organisation sign-in: the
// `oidc-provider` package with one native (public) client for Latchkey, PKCE required,
// and people whose email, name and groups the tests choose. It prints one JSON line,
// `{"issuer": "http://127.0.0.1:PORT"}`, once it listens, then serves until
// standard input closes (the test that started it ended).
//
// The people (LATCHKEY_OIDC_PEOPLE, JSON): { "<login>": { email, name, groups,
// disabled } }. A disabled person cannot sign in; the file
// LATCHKEY_OIDC_PEOPLE_FILE, when set, is read again at every sign-in, so a test can
// disable someone while the provider runs. The login form of `devInteractions`
// accepts any password.
import Provider from "oidc-provider";
import { readFileSync } from "node:fs";

const CLIENT_ID = process.env.LATCHKEY_OIDC_CLIENT_ID ?? "latchkey-desk";

function people() {
  const file = process.env.LATCHKEY_OIDC_PEOPLE_FILE;
  const text = file ? readFileSync(file, "utf8") : (process.env.LATCHKEY_OIDC_PEOPLE ?? "{}");
  return JSON.parse(text);
}

/** A native (public) client; RFC 8252: its loopback redirect matches on any port. */
const nativeClient = (client_id) => ({
  client_id,
  application_type: "native",
  token_endpoint_auth_method: "none",
  redirect_uris: ["http://127.0.0.1/callback"],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
});

const configuration = {
  // Latchkey, and another app of the same organisation whose tokens Latchkey must refuse.
  clients: [nativeClient(CLIENT_ID), nativeClient("another-app")],
  pkce: { required: () => true },
  // The ID token carries the scopes' claims (email, name, groups), as Keycloak and Entra
  // ID do by default, rather than leaving them to the userinfo endpoint.
  conformIdTokenClaims: false,
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name"],
    groups: ["groups"],
  },
  scopes: ["openid", "email", "profile", "groups", "offline_access"],
  features: { devInteractions: { enabled: true } },
  // A refresh token with every sign-in, as Keycloak gives by default: Latchkey shows it
  // back while it runs, to learn when someone was disabled here.
  async issueRefreshToken(_ctx, client) {
    return client.grantTypeAllowed("refresh_token");
  },
  ttl: { AccessToken: 600, IdToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 600, Grant: 600 },
  async findAccount(_ctx, id) {
    const person = people()[id];
    if (!person || person.disabled) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: person.email,
          email_verified: person.emailVerified ?? true,
          name: person.name,
          groups: person.groups ?? [],
        };
      },
    };
  },
};

const server = (await import("node:http")).createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, configuration);
server.on("request", provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
