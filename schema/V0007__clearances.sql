-- Clearances: a party's recorded grant that lifts terms for some uses of
-- some artefacts (docs/licensing.md section 12). A clearance row is never
-- changed; revoking it appends a row to clearance_revocation, and the
-- earliest revocation counts.

CREATE TABLE clearance (
  id             uuid         PRIMARY KEY,  -- UUIDv7
  party          text         NOT NULL,     -- who grants it
  evidence       text         NOT NULL,     -- contract id, document digest, URL
  valid_from     timestamptz,               -- NULL: no start
  valid_until    timestamptz,               -- NULL: no end
  artefact_id    uuid         NOT NULL REFERENCES artefact (id),
  downstream_id  uuid         REFERENCES artefact (id),  -- NULL: anything derived
  facility       text         NOT NULL DEFAULT '',  -- '': any
  project        text         NOT NULL DEFAULT '',  -- '': any
  uses           text[]       NOT NULL DEFAULT '{}',  -- intended uses; {}: all
  rules          text[]       NOT NULL CHECK (cardinality(rules) > 0),
  licence_id     text         NOT NULL DEFAULT '',  -- '': any licence
  rights_holder  text         NOT NULL DEFAULT '',  -- '': anyone's terms
  note           text         NOT NULL DEFAULT '',
  created_at     timestamptz  NOT NULL DEFAULT now(),
  created_by     text         NOT NULL DEFAULT '',
  CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);
-- Evaluation: the clearances whose cleared artefact is upstream of the one
-- judged. Listing by artefact reads these two as well.
CREATE INDEX clearance_artefact ON clearance (artefact_id, id);
CREATE INDEX clearance_downstream ON clearance (downstream_id, id)
  WHERE downstream_id IS NOT NULL;
CREATE INDEX clearance_party ON clearance (party, id);

CREATE TABLE clearance_revocation (
  seq            bigserial    PRIMARY KEY,
  clearance_id   uuid         NOT NULL REFERENCES clearance (id),
  revoked_at     timestamptz  NOT NULL,  -- lifts nothing from then on
  recorded_at    timestamptz  NOT NULL DEFAULT now(),
  recorded_by    text         NOT NULL DEFAULT ''
);
CREATE INDEX clearance_revocation_clearance ON clearance_revocation (clearance_id, revoked_at);
