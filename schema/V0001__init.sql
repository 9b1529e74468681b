-- RMTC lineage graph: artefacts (nodes), edges, external ids, and the record
-- of idempotent write requests. Provenance rows are never updated or deleted.

CREATE TYPE artefact_kind AS ENUM (
  'dataset', 'model', 'weights', 'run', 'inference', 'asset');

CREATE TYPE edge_relation AS ENUM (
  'derived_from', 'contains', 'trained_on', 'evaluated_on', 'base',
  'produced_by', 'uses', 'input', 'output_of', 'variant_of', 'supersedes');

CREATE TABLE artefact (
  id          uuid          PRIMARY KEY,  -- UUIDv7: time-ordered, index-local
  kind        artefact_kind NOT NULL,
  name        text          NOT NULL,
  version     text          NOT NULL DEFAULT '',
  uri         text          NOT NULL DEFAULT '',
  sha256      bytea         CHECK (sha256 IS NULL OR length(sha256) = 32),
  facility    text          NOT NULL DEFAULT '',
  created_at  timestamptz   NOT NULL DEFAULT now(),
  created_by  text          NOT NULL DEFAULT '',
  attributes  jsonb         NOT NULL DEFAULT '{}'
                            CHECK (jsonb_typeof(attributes) = 'object')
);

-- The same content of the same kind is the same artefact. sha256 leads, so
-- the index also serves a search by digest alone (FindArtefacts without kind).
CREATE UNIQUE INDEX artefact_sha256_kind ON artefact (sha256, kind)
  WHERE sha256 IS NOT NULL;
-- Listing is keyset-paged on (created_at, id), with optional filters.
CREATE INDEX artefact_created ON artefact (created_at, id);
CREATE INDEX artefact_kind_created ON artefact (kind, created_at, id);
CREATE INDEX artefact_facility_created ON artefact (facility, created_at, id);
-- Case-insensitive substring search on names.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX artefact_name_trgm ON artefact USING gin (lower(name) gin_trgm_ops);

-- Edges point from the derived artefact to its source.
CREATE TABLE edge (
  derived_id  uuid          NOT NULL REFERENCES artefact (id),
  source_id   uuid          NOT NULL REFERENCES artefact (id),
  relation    edge_relation NOT NULL,
  PRIMARY KEY (derived_id, relation, source_id)
);
-- Upstream walks use the primary key (derived -> sources); downstream walks
-- use this one (source -> derived). Both cover every column, so a walk step
-- is an index-only scan.
CREATE INDEX edge_source ON edge (source_id, relation, derived_id);

CREATE TABLE external_id (
  system      text  NOT NULL,
  value       text  NOT NULL,
  artefact_id uuid  NOT NULL REFERENCES artefact (id),
  PRIMARY KEY (system, value)
);
CREATE INDEX external_id_artefact ON external_id (artefact_id);

-- One row per write that carried a request id: repeating the request returns
-- the stored answer instead of writing again.
CREATE TABLE write_request (
  request_id  text         PRIMARY KEY,
  method      text         NOT NULL,
  digest      bytea        NOT NULL,  -- SHA-256 of the request without its id
  result_ids  uuid[]       NOT NULL DEFAULT '{}',
  existed     boolean[]    NOT NULL DEFAULT '{}',
  created_at  timestamptz  NOT NULL DEFAULT now()
);
