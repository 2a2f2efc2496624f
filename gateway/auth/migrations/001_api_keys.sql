-- API keys of machine clients (other agencies' systems). Only a SHA-256 of the
-- secret part is kept: a key is shown once, when it is created.
CREATE TABLE access.api_key (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
  name text NOT NULL CHECK (name <> ''),
  agency text NOT NULL CHECK (agency <> ''),
  scopes text[] NOT NULL,
  secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz
);
