/**
 * A real OpenID Provider for tests (`oidc-provider`, the certified Node implementation) on
 * 127.0.0.1 and a free port, with one confidential client and users the test adds. Its login page
 * is oidc-provider's development interaction: a "login" field (the user's key here: it becomes the
 * `sub`), any password, and a "Sign-in" button. Consent is granted without asking (a first-party
 * client), so a flow is: BYOK → login page → BYOK's callback.
 *
 * The client's redirect URI is BYOK's /api/auth/callback/oidc, known only once the app server
 * has picked its port: start the provider, start the app with `issuer`, then `allowRedirect(url)`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export type IdpUser = { email: string; emailVerified: boolean; name: string };

export type TestIdp = {
  /** The issuer: http://127.0.0.1:<port> (what OIDC_ISSUER must say). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds a user; `login` is what to type in the login field, and the `sub` BYOK sees. */
  addUser: (login: string, user: IdpUser) => void;
  /** Registers `redirectUri` as the client's only redirect URI (call before the first flow). */
  allowRedirect: (redirectUri: string) => void;
  close: () => Promise<void>;
};

export const TEST_IDP_CLIENT = { clientId: "byok-test", clientSecret: "byok-test-client-secret-long-enough-0123456789" };

export async function startTestIdp(): Promise<TestIdp> {
  const users = new Map<string, IdpUser>();
  let provider: Provider | undefined;
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;

  const server = createServer((req, res) => {
    if (!handler) {
      res.writeHead(503).end("no client registered yet");
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration = (redirectUri: string): Configuration => ({
    clients: [
      {
        client_id: TEST_IDP_CLIENT.clientId,
        client_secret: TEST_IDP_CLIENT.clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid", "email", "profile"],
    cookies: { keys: ["test-idp-cookie-key-0123456789abcdef"] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, email: user.email, email_verified: user.emailVerified, name: user.name };
        },
      };
    },
    // A first-party client: consent is granted on the user's behalf.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });

  return {
    issuer,
    ...TEST_IDP_CLIENT,
    addUser: (login, user) => void users.set(login, user),
    allowRedirect(redirectUri) {
      provider = new Provider(issuer, configuration(redirectUri));
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
