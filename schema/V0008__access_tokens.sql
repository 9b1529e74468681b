-- Access tokens: who may call rmtcd, in which role (docs/operations.md,
-- "Security"). The secret is never stored: only its SHA-256, which is what
-- a presented token is looked up by. A token row is never changed; revoking
-- appends a row to access_token_revocation, and the earliest one counts.

CREATE TABLE access_token (
  id          uuid         PRIMARY KEY,  -- UUIDv7
  name        text         NOT NULL UNIQUE,
  digest      bytea        NOT NULL UNIQUE CHECK (length(digest) = 32),
  role        text         NOT NULL
                           CHECK (role IN ('reader', 'recorder', 'rights', 'admin')),
  facility    text         NOT NULL DEFAULT '',  -- '': may write any facility
  expires_at  timestamptz,                       -- NULL: never
  created_at  timestamptz  NOT NULL DEFAULT now(),
  created_by  text         NOT NULL DEFAULT ''
);

CREATE TABLE access_token_revocation (
  seq          bigserial    PRIMARY KEY,
  token_id     uuid         NOT NULL REFERENCES access_token (id),
  revoked_at   timestamptz  NOT NULL DEFAULT now(),
  recorded_by  text         NOT NULL DEFAULT ''
);
CREATE INDEX access_token_revocation_token ON access_token_revocation (token_id);
