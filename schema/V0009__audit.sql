-- The audit log (docs/operations.md, "Audit log"): one entry per accepted
-- write, appended in the write's own transaction. Entries form a hash
-- chain: each entry's hash covers its fields, the digests of the rows it
-- wrote and the previous entry's hash (records/audit.cpp says exactly how),
-- so an entry changed, removed or inserted behind rmtcd's back breaks the
-- chain, and a row changed or deleted no longer matches its entry's digest.
-- `rmtc audit verify` checks both.
CREATE TABLE audit_entry (
  seq             bigint       PRIMARY KEY,  -- 1, 2, 3, ...: no gaps
  recorded_at     timestamptz  NOT NULL,
  principal       text         NOT NULL,  -- who: a token's name, cert:<name>, open
  method          text         NOT NULL,  -- the RPC, e.g. AttachLicence
  request_id      text         NOT NULL DEFAULT '',
  request_sha256  text         NOT NULL DEFAULT '',  -- of the request's bytes, hex
  artefact_ids    uuid[]       NOT NULL DEFAULT '{}',  -- artefacts written or spoken of
  row_refs        text[]       NOT NULL,  -- the rows written: artefact:<id>, consent:<seq>, ...
  row_digests     text[]       NOT NULL,  -- SHA-256 of each row as written, hex
  rows_digest     text         NOT NULL,  -- over row_refs and row_digests
  prev_hash       text         NOT NULL,  -- the previous entry's hash; 64 zeros for the first
  hash            text         NOT NULL,
  CHECK (cardinality(row_refs) = cardinality(row_digests))
);
CREATE INDEX audit_entry_principal ON audit_entry (principal, seq);
CREATE INDEX audit_entry_recorded ON audit_entry (recorded_at, seq);
CREATE INDEX audit_entry_artefacts ON audit_entry USING gin (artefact_ids);

-- The chain's head: one row, locked by every write while it appends, so
-- entries are chained in commit order with no gap and no fork.
CREATE TABLE audit_head (
  one   boolean  PRIMARY KEY DEFAULT true CHECK (one),
  seq   bigint   NOT NULL,
  hash  text     NOT NULL
);
INSERT INTO audit_head (seq, hash) VALUES (0, repeat('0', 64));
