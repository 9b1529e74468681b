// The SQL of the audit log (store/audit_trail.h, pg_audit_store.h).
#pragma once

namespace rmtc::store::audit_sql {

// The canonical text of each row `ref` names, hashed: SHA-256 hex, NULL if
// the row is gone; in the order of $1 (text[] of refs). The same statement
// digests rows as they are written and as they read at verification, so
// the two agree unless the row changed. Times as microseconds and text in
// "C" order, so neither the session's time zone nor the collation matters.
// licence_revoked:<micros>:<id> holds while the licence is revoked from
// <micros> or earlier (an earlier revocation stands, so a later one does
// not break an earlier entry).
inline constexpr char kRowDigests[] =
    "SELECT encode(sha256(convert_to(d.doc, 'UTF8')), 'hex')"
    "  FROM unnest($1::text[]) WITH ORDINALITY AS k (ref, n)"
    "  CROSS JOIN LATERAL (SELECT split_part(k.ref, ':', 1) AS kind,"
    "                             substr(k.ref, strpos(k.ref, ':') + 1) AS key) r"
    "  CROSS JOIN LATERAL (SELECT CASE r.kind"
    "   WHEN 'artefact' THEN ("
    "     SELECT jsonb_build_array(a.id, a.kind, a.name, a.version, a.uri,"
    "              encode(a.sha256, 'hex'), a.facility, rmtc_micros(a.created_at),"
    "              a.created_by, a.attributes,"
    "              (SELECT coalesce(jsonb_agg(jsonb_build_array(e.relation, e.source_id)"
    "                                ORDER BY e.relation, e.source_id), '[]')"
    "                 FROM edge e WHERE e.derived_id = a.id),"
    "              (SELECT coalesce(jsonb_agg(jsonb_build_array(x.system, x.value)"
    "                                ORDER BY x.system COLLATE \"C\", x.value COLLATE "
    "\"C\"),"
    "                               '[]')"
    "                 FROM external_id x WHERE x.artefact_id = a.id))::text"
    "       FROM artefact a WHERE a.id = r.key::uuid)"
    "   WHEN 'item_key' THEN ("
    "     SELECT jsonb_build_array(i.key, i.artefact_id, encode(i.digest, 'hex'),"
    "              rmtc_micros(i.created_at))::text"
    "       FROM item_key i WHERE i.key = r.key)"
    "   WHEN 'licence' THEN ("
    "     SELECT jsonb_build_array(l.id, l.name, l.url, l.text_sha256, l.terms,"
    "              rmtc_micros(l.valid_from), rmtc_micros(l.valid_until), l.licensor,"
    "              l.licensee, to_jsonb(l.jurisdictions), l.notes, l.seeded,"
    "              rmtc_micros(l.created_at), l.created_by)::text"
    "       FROM licence l WHERE l.id = r.key)"
    "   WHEN 'licence_revoked' THEN ("
    "     SELECT jsonb_build_array(l.id, split_part(r.key, ':', 1),"
    "              coalesce(l.revoked_at <= rmtc_time(split_part(r.key, ':', 1)),"
    "                       false))::text"
    "       FROM licence l WHERE l.id = substr(r.key, strpos(r.key, ':') + 1))"
    "   WHEN 'attachment' THEN ("
    "     SELECT jsonb_build_array(t.seq, t.artefact_id, t.expression,"
    "              to_jsonb(t.licence_ids), t.attribution, rmtc_micros(t.attached_at),"
    "              t.attached_by, rmtc_micros(t.recorded_at))::text"
    "       FROM licence_attachment t WHERE t.seq = r.key::bigint)"
    "   WHEN 'election' THEN ("
    "     SELECT jsonb_build_array(t.seq, t.artefact_id, t.licence_id,"
    "              rmtc_micros(t.elected_at), t.elected_by)::text"
    "       FROM licence_election t WHERE t.seq = r.key::bigint)"
    "   WHEN 'consent' THEN ("
    "     SELECT jsonb_build_array(t.seq, t.artefact_id, t.party, t.ai_training,"
    "              t.ai_generative_training, t.data_mining, t.ai_inference,"
    "              rmtc_micros(t.effective_at), rmtc_micros(t.recorded_at),"
    "              t.recorded_by, t.note)::text"
    "       FROM consent t WHERE t.seq = r.key::bigint)"
    "   WHEN 'clearance' THEN ("
    "     SELECT jsonb_build_array(c.id, c.party, c.evidence, rmtc_micros(c.valid_from),"
    "              rmtc_micros(c.valid_until), c.artefact_id, c.downstream_id, "
    "c.facility,"
    "              c.project, to_jsonb(c.uses), to_jsonb(c.rules), c.licence_id,"
    "              c.rights_holder, c.note, rmtc_micros(c.created_at), "
    "c.created_by)::text"
    "       FROM clearance c WHERE c.id = r.key::uuid)"
    "   WHEN 'clearance_revocation' THEN ("
    "     SELECT jsonb_build_array(t.seq, t.clearance_id, rmtc_micros(t.revoked_at),"
    "              rmtc_micros(t.recorded_at), t.recorded_by)::text"
    "       FROM clearance_revocation t WHERE t.seq = r.key::bigint)"
    "   WHEN 'token' THEN ("
    "     SELECT jsonb_build_array(t.id, t.name, encode(t.digest, 'hex'), t.role,"
    "              t.facility, rmtc_micros(t.expires_at), rmtc_micros(t.created_at),"
    "              t.created_by)::text"
    "       FROM access_token t WHERE t.id = r.key::uuid)"
    "   WHEN 'token_revocation' THEN ("
    "     SELECT jsonb_build_array(t.seq, t.token_id, rmtc_micros(t.revoked_at),"
    "              t.recorded_by)::text"
    "       FROM access_token_revocation t WHERE t.seq = r.key::bigint)"
    "   END AS doc) d"
    " ORDER BY k.n";

// Locks the head until this transaction ends: appends are serialised.
inline constexpr char kLockHead[] = "SELECT seq, hash FROM audit_head FOR UPDATE";

inline constexpr char kInsertEntry[] =
    "INSERT INTO audit_entry (seq, recorded_at, principal, method, request_id,"
    " request_sha256, artefact_ids, row_refs, row_digests, rows_digest, prev_hash, hash)"
    " VALUES ($1, rmtc_time($2), $3, $4, $5, $6, $7::uuid[], $8::text[], $9::text[],"
    "         $10, $11, $12)";

inline constexpr char kSetHead[] = "UPDATE audit_head SET seq = $1, hash = $2";

inline constexpr char kHead[] =
    "SELECT h.seq, h.hash, rmtc_micros(e.recorded_at)"
    "  FROM audit_head h LEFT JOIN audit_entry e ON e.seq = h.seq";

#define RMTC_AUDIT_COLUMNS                                                              \
  "e.seq, rmtc_micros(e.recorded_at), e.principal, e.method, e.request_id,"             \
  " e.request_sha256, array_to_string(e.artefact_ids, ','), to_json(e.row_refs)::text," \
  " to_json(e.row_digests)::text, e.rows_digest, e.prev_hash, e.hash"

// Entries after seq $1 by seq, up to $2; $3 principal (''), $4 since
// (micros, ''), $5 artefact (''); and no more rows in all than $6 (but
// always the first entry): one entry of a large batch holds thousands.
inline constexpr char kEntries[] =
    "SELECT * FROM ("
    "  SELECT " RMTC_AUDIT_COLUMNS
    ","
    "         sum(cardinality(e.row_refs)) OVER (ORDER BY e.seq) -"
    "           cardinality(e.row_refs) AS rows_before"
    "    FROM audit_entry e"
    "   WHERE e.seq > $1"
    "     AND ($3 = '' OR e.principal = $3)"
    "     AND ($4 = '' OR e.recorded_at >= rmtc_time($4))"
    "     AND ($5 = '' OR e.artefact_ids @> ARRAY[nullif($5, '')::uuid])"
    "   ORDER BY e.seq LIMIT $2) page"
    " WHERE rows_before = 0 OR rows_before < $6";

inline constexpr char kEntryAt[] =
    "SELECT " RMTC_AUDIT_COLUMNS " FROM audit_entry e WHERE e.seq = $1";

#undef RMTC_AUDIT_COLUMNS

// Rows of the audited tables that no entry names, up to $1, with their
// total: written behind rmtcd's back, or before the log began. A licence's
// revocation is named by the entry that revoked it earliest.
inline constexpr char kUnauditedRows[] =
    "WITH named AS (SELECT DISTINCT unnest(row_refs) AS ref FROM audit_entry)"
    " SELECT t.ref, count(*) OVER () FROM ("
    "   SELECT 'artefact:' || id::text AS ref FROM artefact"
    "   UNION ALL SELECT 'item_key:' || key FROM item_key"
    "   UNION ALL SELECT 'licence:' || id FROM licence"
    "   UNION ALL SELECT 'licence_revoked:' || rmtc_micros(revoked_at) || ':' || id"
    "               FROM licence WHERE revoked_at IS NOT NULL"
    "   UNION ALL SELECT 'attachment:' || seq FROM licence_attachment"
    "   UNION ALL SELECT 'election:' || seq FROM licence_election"
    "   UNION ALL SELECT 'consent:' || seq FROM consent"
    "   UNION ALL SELECT 'clearance:' || id::text FROM clearance"
    "   UNION ALL SELECT 'clearance_revocation:' || seq FROM clearance_revocation"
    "   UNION ALL SELECT 'token:' || id::text FROM access_token"
    "   UNION ALL SELECT 'token_revocation:' || seq FROM access_token_revocation"
    " ) t WHERE NOT EXISTS (SELECT 1 FROM named n WHERE n.ref = t.ref)"
    " LIMIT $1";

// The licence registry, for the entry that starts a log over more rows
// than it lists.
inline constexpr char kLicenceRows[] =
    "SELECT ref FROM ("
    "   SELECT 'licence:' || id AS ref, 0 AS o FROM licence"
    "   UNION ALL SELECT 'licence_revoked:' || rmtc_micros(revoked_at) || ':' || id, 1"
    "               FROM licence WHERE revoked_at IS NOT NULL"
    " ) t ORDER BY o, ref COLLATE \"C\"";

}  // namespace rmtc::store::audit_sql
