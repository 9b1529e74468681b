// Every SQL statement the store runs, named and parameterised, grouped by
// table. Values never go into the text: they are parameters ($n) or COPY data.
#pragma once

namespace rmtc::store::sql {

// The columns of an artefact as Artefact rows read them, in this order:
// id, kind, name, version, uri, sha256 (hex or ''), facility, created_at (µs
// since the epoch), created_by, attributes (JSON text), external ids (JSON
// array of [system, id]).
#define RMTC_ARTEFACT_COLUMNS                                          \
  "a.id::text, a.kind::text, a.name, a.version, a.uri, "               \
  "coalesce(encode(a.sha256, 'hex'), ''), a.facility, "                \
  "(extract(epoch FROM a.created_at) * 1000000)::int8, a.created_by, " \
  "a.attributes::text, "                                               \
  "coalesce((SELECT json_agg(json_build_array(x.system, x.value) "     \
  "ORDER BY x.system, x.value) FROM external_id x "                    \
  "WHERE x.artefact_id = a.id), '[]')::text"

// The same without attributes and external ids (trace nodes).
#define RMTC_ARTEFACT_SUMMARY_COLUMNS                    \
  "a.id::text, a.kind::text, a.name, a.version, a.uri, " \
  "coalesce(encode(a.sha256, 'hex'), ''), a.facility, "  \
  "(extract(epoch FROM a.created_at) * 1000000)::int8, a.created_by"

// --- artefact --------------------------------------------------------------

// The transaction's time: what DEFAULT now() gave the rows it inserted.
inline constexpr char kNow[] =
    "SELECT (extract(epoch FROM transaction_timestamp()) * 1000000)::int8";

inline constexpr char kKindsOf[] =
    "SELECT id::text, kind::text FROM artefact WHERE id = ANY ($1::uuid[])";

inline constexpr char kGetArtefact[] =
    "SELECT " RMTC_ARTEFACT_COLUMNS " FROM artefact a WHERE a.id = $1::uuid";

inline constexpr char kGetArtefacts[] =
    "SELECT " RMTC_ARTEFACT_COLUMNS " FROM artefact a WHERE a.id = ANY ($1::uuid[])";

// $1: sha256 (hex); $2: kinds to match (empty array: any kind).
inline constexpr char kFindBySha256[] =
    "SELECT " RMTC_ARTEFACT_COLUMNS
    " FROM artefact a WHERE a.sha256 = decode($1, 'hex')"
    " AND (cardinality($2::artefact_kind[]) = 0"
    "      OR a.kind = ANY ($2::artefact_kind[]))"
    " ORDER BY a.created_at, a.id";

// Which of these (sha256, kind) pairs are stored. $1: sha256 hex[]; $2: kind[].
inline constexpr char kMatchDigests[] =
    "SELECT encode(a.sha256, 'hex'), a.kind::text, a.id::text"
    " FROM unnest($1::text[], $2::artefact_kind[]) AS t (sha256, kind)"
    " JOIN artefact a ON a.sha256 = decode(t.sha256, 'hex') AND a.kind = t.kind";

// $1 kinds (empty: any); $2 LIKE pattern, any case ('': any); $3 facility
// ('': any); $4/$5 created_after given / µs; $6/$7 created_before given / µs;
// $8/$9/$10 keyset given / created_at µs / id; $11 limit.
inline constexpr char kListArtefacts[] =
    "SELECT " RMTC_ARTEFACT_COLUMNS
    " FROM artefact a"
    " WHERE (cardinality($1::artefact_kind[]) = 0"
    "        OR a.kind = ANY ($1::artefact_kind[]))"
    "   AND ($2 = '' OR lower(a.name) LIKE lower($2))"
    "   AND ($3 = '' OR a.facility = $3)"
    "   AND (NOT $4::bool OR a.created_at >= rmtc_time($5::int8::text))"
    "   AND (NOT $6::bool OR a.created_at < rmtc_time($7::int8::text))"
    "   AND (NOT $8::bool OR (a.created_at, a.id) > (rmtc_time($9::int8::text), "
    "$10::uuid))"
    " ORDER BY a.created_at, a.id"
    " LIMIT $11";

// --- external_id -----------------------------------------------------------

// Which of these external ids are taken. $1: system[]; $2: value[].
inline constexpr char kMatchExternalIds[] =
    "SELECT t.system, t.value, x.artefact_id::text"
    " FROM unnest($1::text[], $2::text[]) AS t (system, value)"
    " JOIN external_id x ON x.system = t.system AND x.value = t.value";

inline constexpr char kFindByExternalId[] =
    "SELECT " RMTC_ARTEFACT_COLUMNS
    " FROM external_id x JOIN artefact a ON a.id = x.artefact_id"
    " WHERE x.system = $1 AND x.value = $2";

// --- item_key --------------------------------------------------------------

// The stored ones of these item keys. $1: key[].
inline constexpr char kMatchItemKeys[] =
    "SELECT key, artefact_id::text, encode(digest, 'hex') FROM item_key"
    " WHERE key = ANY ($1::text[])";

// --- write_request ---------------------------------------------------------

// Request ids are the principal's own (V0010): every statement here names
// the principal (store/write_requests.h RequestOwner) as its last parameter.

// Returns a row if this call claimed the request id. A concurrent call with
// the same id waits here until the first commits (then gets no row) or
// rolls back (then claims it).
inline constexpr char kClaimRequest[] =
    "INSERT INTO write_request (request_id, method, digest, principal)"
    " VALUES ($1, $2, decode($3, 'hex'), $4)"
    " ON CONFLICT (principal, request_id) DO NOTHING RETURNING 1";

inline constexpr char kRequestSeen[] =
    "SELECT 1 FROM write_request WHERE request_id = $1 AND principal = $2";

// The claim a repeat finds (store/write_requests.cpp reads it).
inline constexpr char kGetRequest[] =
    "SELECT method, encode(digest, 'hex'),"
    " array_to_string(result_ids, ','), array_to_string(existed, ','), result_seq"
    " FROM write_request WHERE request_id = $1 AND principal = $2";

// A licensing write names the record it appended (V0006).
inline constexpr char kFinishRecordRequest[] =
    "UPDATE write_request SET result_seq = $2 WHERE request_id = $1 AND principal = $3";

// A lineage write names its artefacts, in item order, and which existed.
inline constexpr char kFinishRequest[] =
    "UPDATE write_request SET result_ids = $2::uuid[], existed = $3::bool[]"
    " WHERE request_id = $1 AND principal = $4";

// Forgets at most $2 claims older than $1 seconds, oldest first (the
// created_at index); claims a writer holds are skipped, not waited for.
// Returns a row per claim forgotten.
inline constexpr char kForgetRequests[] =
    "DELETE FROM write_request w USING ("
    "  SELECT principal, request_id FROM write_request"
    "  WHERE created_at < now() - make_interval(secs => $1::float8)"
    "  ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) old"
    " WHERE w.principal = old.principal AND w.request_id = old.request_id"
    " RETURNING 1";

// --- edge: traces ----------------------------------------------------------
//
// One statement walks the graph: a recursive CTE over the edge indexes (one
// index-only scan per reached node, never a round trip per hop), keeps each
// node at its shortest depth, pages by (depth, id), and lists for each node
// of the page the edges that reach it from other reached nodes.
// $1 root; $2 max depth; $3 relations (empty: all); $4/$5 keyset (depth,
// id); $6 limit. Edge lists are "id:relation,id:relation".
#define RMTC_TRACE_SQL(NEAR, FAR)                          \
  "WITH RECURSIVE walk (id, depth) AS ("                   \
  "    SELECT $1::uuid, 0"                                 \
  "  UNION"                                                \
  "    SELECT e." FAR                                      \
  ", w.depth + 1 FROM walk w"                              \
  "    JOIN edge e ON e." NEAR                             \
  " = w.id"                                                \
  "    WHERE w.depth < $2"                                 \
  "      AND (cardinality($3::edge_relation[]) = 0"        \
  "           OR e.relation = ANY ($3::edge_relation[]))"  \
  "), reached AS ("                                        \
  "  SELECT id, min(depth) AS depth FROM walk GROUP BY id" \
  "), page AS ("                                           \
  "  SELECT id, depth FROM reached"                        \
  "  WHERE (depth, id) > ($4::int4, $5::uuid)"             \
  "  ORDER BY depth, id LIMIT $6"                          \
  ")"                                                      \
  " SELECT " RMTC_ARTEFACT_SUMMARY_COLUMNS                 \
  ", p.depth,"                                             \
  "  (SELECT string_agg(e." NEAR                           \
  "::text || ':' || e.relation::text, ',')"                \
  "     FROM edge e WHERE e." FAR                          \
  " = p.id"                                                \
  "      AND (cardinality($3::edge_relation[]) = 0"        \
  "           OR e.relation = ANY ($3::edge_relation[]))"  \
  "      AND e." NEAR                                      \
  " IN (SELECT id FROM reached))"                          \
  " FROM page p JOIN artefact a ON a.id = p.id"            \
  " ORDER BY p.depth, p.id"

inline constexpr char kTraceUpstream[] = RMTC_TRACE_SQL("derived_id", "source_id");
inline constexpr char kTraceDownstream[] = RMTC_TRACE_SQL("source_id", "derived_id");

#undef RMTC_TRACE_SQL

// --- health ----------------------------------------------------------------

inline constexpr char kPing[] = "SELECT 1";

}  // namespace rmtc::store::sql
