// A real OpenID Connect provider for the tests: panva's oidc-provider (OpenID Certified), on a loopback port.
// Two users: lead@example.com and manager@example.com (with the group "managers"); its development sign-in page
// takes the user's e-mail address. Usage: node provider.mjs PORT REDIRECT_URI CLIENT_SECRET
import Provider from "oidc-provider";

const [port, redirect, secret] = process.argv.slice(2);
const users = {
  "lead@example.com": { email: "lead@example.com", email_verified: true, name: "Lena Lead", groups: ["hr-leads"] },
  "manager@example.com": { email: "manager@example.com", email_verified: true, name: "Mats Manager", groups: ["managers"] },
};
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{ client_id: "survey-explorer", client_secret: secret, redirect_uris: [redirect],
              grant_types: ["authorization_code"], response_types: ["code"] }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups"],
  pkce: { required: () => false },
  conformIdTokenClaims: false,  // the e-mail address and groups in the ID token itself, as the app reads them
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user }; } };
  },
});
provider.proxy = false;
// Streamlit's st.login asks for prompt=select_account, which this provider has no page for: each user has one
// account, so the request goes on without it (as a provider with one signed-in account would)
provider.use(async (ctx, next) => {
  if (ctx.path === "/auth" && ctx.query.prompt === "select_account") {
    const query = { ...ctx.query };
    delete query.prompt;
    ctx.query = query;
  }
  await next();
});
provider.listen(Number(port), "127.0.0.1", () => console.log(`ready ${issuer}`));
