import { fromEnv } from "@aws-sdk/credential-provider-env";

// Bundled in place of @aws-sdk/credential-provider-node (esbuild alias in serverless.yml). Lambda
// always hands a function its role's credentials in environment variables, so the full provider
// chain (SSO, INI files, IMDS, web identity, with their nested STS/SSO clients: ~80 KB minified)
// is dead weight on every cold start. Scripts and tests outside Lambda keep the real chain.
export const defaultProvider = (_init?: unknown) => fromEnv();
