-- Item keys: a client's name for one artefact of a write, so that sending
-- the same item again (in any request, batch or order) finds the artefact
-- it made the first time instead of registering it twice. `rmtc import`
-- derives one from each line of its file. A key names one artefact forever;
-- `digest` is the SHA-256 of the item's content as first sent (fields,
-- attributes as a JSON value, external ids and edges as sets, sources
-- resolved to ids), so the same key with other content can be refused.
-- Several keys may name one artefact (two items with one sha256).

CREATE TABLE item_key (
  key          text         PRIMARY KEY,
  artefact_id  uuid         NOT NULL REFERENCES artefact (id),
  digest       bytea        NOT NULL CHECK (octet_length(digest) = 32),
  created_at   timestamptz  NOT NULL DEFAULT now()
);
