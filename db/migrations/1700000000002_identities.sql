-- Up Migration
-- Local accounts (the embedded default; production uses OIDC), partners and their API keys.
CREATE TABLE users (
  user_id       text PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL,
  office        text,
  partner_id    text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE partners (
  partner_id text PRIMARY KEY,
  name       text NOT NULL,
  kind       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- API keys are stored only as SHA-256 hashes; the prefix lets a partner recognise a key without revealing it.
CREATE TABLE partner_api_keys (
  key_id      text PRIMARY KEY,
  partner_id  text NOT NULL REFERENCES partners (partner_id),
  prefix      text NOT NULL,
  key_hash    text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Down Migration
DROP TABLE partner_api_keys, partners, users;
