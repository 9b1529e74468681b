-- Licences, their attachment to artefacts, elections among alternatives, and
-- artists' consents. All append-only with times, so every question can be
-- asked as of a moment. A licence row changes only to record a revocation.

CREATE TABLE licence (
  id            text         PRIMARY KEY,  -- SPDX id or LicenseRef-...
  name          text         NOT NULL,
  url           text         NOT NULL DEFAULT '',
  text_sha256   text         NOT NULL DEFAULT '',
  terms         jsonb        NOT NULL CHECK (jsonb_typeof(terms) = 'object'),
  valid_from    timestamptz,
  valid_until   timestamptz,
  licensor      text         NOT NULL DEFAULT '',
  licensee      text         NOT NULL DEFAULT '',
  jurisdictions text[]       NOT NULL DEFAULT '{}',
  revoked_at    timestamptz,
  notes         text         NOT NULL DEFAULT '',
  seeded        boolean      NOT NULL DEFAULT false,  -- shipped with RMTC
  created_at    timestamptz  NOT NULL DEFAULT now(),
  created_by    text         NOT NULL DEFAULT ''
);

CREATE TABLE licence_attachment (
  seq           bigserial    PRIMARY KEY,
  artefact_id   uuid         NOT NULL REFERENCES artefact (id),
  expression    text         NOT NULL,
  licence_ids   text[]       NOT NULL,  -- every id in the expression
  attribution   text         NOT NULL DEFAULT '',  -- whom to credit
  attached_at   timestamptz  NOT NULL DEFAULT now(),  -- in force from (may be earlier)
  attached_by   text         NOT NULL DEFAULT '',
  recorded_at   timestamptz  NOT NULL DEFAULT now()
);
-- The attachment in force for an artefact at a time.
CREATE INDEX licence_attachment_artefact ON licence_attachment (artefact_id, attached_at);
-- Impact of a licence: the artefacts whose expressions name it.
CREATE INDEX licence_attachment_licence ON licence_attachment USING gin (licence_ids);

CREATE TABLE licence_election (
  seq           bigserial    PRIMARY KEY,
  artefact_id   uuid         NOT NULL REFERENCES artefact (id),
  licence_id    text         NOT NULL REFERENCES licence (id),
  elected_at    timestamptz  NOT NULL DEFAULT now(),
  elected_by    text         NOT NULL DEFAULT ''
);
CREATE INDEX licence_election_artefact ON licence_election (artefact_id, elected_at);

-- C2PA / CAWG training-and-mining assertions. NULL: this record does not
-- speak to that key (the party's earlier statement stands).
CREATE TYPE consent_value AS ENUM ('allowed', 'notAllowed', 'constrained');

CREATE TABLE consent (
  seq                     bigserial     PRIMARY KEY,
  artefact_id             uuid          NOT NULL REFERENCES artefact (id),
  party                   text          NOT NULL,
  ai_training             consent_value,
  ai_generative_training  consent_value,
  data_mining             consent_value,
  ai_inference            consent_value,
  effective_at            timestamptz   NOT NULL,
  recorded_at             timestamptz   NOT NULL DEFAULT now(),
  recorded_by             text          NOT NULL DEFAULT '',
  note                    text          NOT NULL DEFAULT ''
);
CREATE INDEX consent_artefact ON consent (artefact_id, effective_at);
-- Impact of a party: the artefacts it has spoken about.
CREATE INDEX consent_party ON consent (party, artefact_id);

-- Times cross the wire as microseconds since the epoch, in text so that
-- "no time" can be '' (libpqxx 6.4 passes no NULL parameters).
CREATE FUNCTION rmtc_time(micros text) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT AS
  $$ SELECT CASE WHEN micros = '' THEN NULL
                 ELSE 'epoch'::timestamptz + micros::int8 * interval '1 microsecond' END $$;
CREATE FUNCTION rmtc_micros(t timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE AS
  $$ SELECT coalesce(((extract(epoch FROM t) * 1000000)::int8)::text, '') $$;
