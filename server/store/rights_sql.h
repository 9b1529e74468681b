// The SQL of the rights store, named and parameterised. Times travel as
// text microseconds ('' for none) through rmtc_time() / rmtc_micros().
#pragma once

namespace rmtc::store::rights_sql {

// Columns of a licence row, in the order ReadLicence reads them.
#define RMTC_LICENCE_COLUMNS                                                       \
  "l.id, l.name, l.url, l.text_sha256, l.terms::text, rmtc_micros(l.valid_from), " \
  "rmtc_micros(l.valid_until), l.licensor, l.licensee, "                           \
  "to_json(l.jurisdictions)::text, rmtc_micros(l.revoked_at), l.notes, "           \
  "rmtc_micros(l.created_at)"

// --- licence -----------------------------------------------------------------

inline constexpr char kInsertLicence[] =
    "INSERT INTO licence (id, name, url, text_sha256, terms, valid_from, valid_until,"
    " licensor, licensee, jurisdictions, notes, created_by)"
    " VALUES ($1, $2, $3, $4, $5::jsonb, rmtc_time($6), rmtc_time($7), $8, $9,"
    "         ARRAY(SELECT json_array_elements_text($10::json)), $11, $12)"
    " ON CONFLICT (id) DO NOTHING RETURNING id";

inline constexpr char kGetLicence[] =
    "SELECT " RMTC_LICENCE_COLUMNS " FROM licence l WHERE l.id = $1";

inline constexpr char kListLicences[] =
    "SELECT " RMTC_LICENCE_COLUMNS
    " FROM licence l WHERE l.id > $1 ORDER BY l.id LIMIT $2";

// An earlier revocation stands; a later one is not recorded over it.
inline constexpr char kRevokeLicence[] =
    "UPDATE licence SET revoked_at = rmtc_time($2)"
    " WHERE id = $1 AND (revoked_at IS NULL OR revoked_at > rmtc_time($2))";

inline constexpr char kLicenceIds[] = "SELECT id FROM licence ORDER BY id LIMIT $1";

inline constexpr char kExistingLicences[] =
    "SELECT id FROM licence WHERE id = ANY ($1::text[])";

// --- attachments, elections, consents ----------------------------------------

inline constexpr char kInsertAttachment[] =
    "INSERT INTO licence_attachment (artefact_id, expression, licence_ids, attribution,"
    " attached_by, attached_at)"
    " VALUES ($1::uuid, $2, $3::text[], $4, $5, coalesce(rmtc_time($6), now()))"
    " RETURNING rmtc_micros(attached_at), seq";

inline constexpr char kAttachments[] =
    "SELECT expression, array_to_string(licence_ids, ' '), attribution, attached_by,"
    " rmtc_micros(attached_at) FROM licence_attachment WHERE artefact_id = $1::uuid"
    " ORDER BY attached_at, seq";

// The attachment a request id's first call stored (kAttachments' columns,
// then the artefact).
inline constexpr char kAttachmentBySeq[] =
    "SELECT expression, array_to_string(licence_ids, ' '), attribution, attached_by,"
    " rmtc_micros(attached_at), artefact_id::text FROM licence_attachment"
    " WHERE seq = $1";

inline constexpr char kInsertElection[] =
    "INSERT INTO licence_election (artefact_id, licence_id, elected_by)"
    " VALUES ($1::uuid, $2, $3) RETURNING rmtc_micros(elected_at), seq";

inline constexpr char kElectionBySeq[] =
    "SELECT artefact_id::text, licence_id, rmtc_micros(elected_at), elected_by"
    " FROM licence_election WHERE seq = $1";

inline constexpr char kInsertConsent[] =
    "INSERT INTO consent (artefact_id, party, ai_training, ai_generative_training,"
    " data_mining, ai_inference, effective_at, recorded_by, note)"
    " VALUES ($1::uuid, $2, nullif($3, '')::consent_value, nullif($4, '')::consent_value,"
    "         nullif($5, '')::consent_value, nullif($6, '')::consent_value,"
    "         coalesce(rmtc_time($7), now()), $8, $9)"
    " RETURNING rmtc_micros(effective_at), rmtc_micros(recorded_at), seq";

// Reads the consent_party index.
inline constexpr char kParties[] =
    "SELECT DISTINCT party FROM consent ORDER BY party LIMIT $1";

inline constexpr char kConsentHistory[] =
    "SELECT party, coalesce(ai_training::text, ''), "
    "coalesce(ai_generative_training::text, ''),"
    " coalesce(data_mining::text, ''), coalesce(ai_inference::text, ''),"
    " rmtc_micros(effective_at), rmtc_micros(recorded_at), recorded_by, note, seq::text"
    " FROM consent WHERE artefact_id = $1::uuid ORDER BY effective_at, seq";

// The consent a request id's first call stored (kConsentHistory's columns,
// then the artefact).
inline constexpr char kConsentBySeq[] =
    "SELECT party, coalesce(ai_training::text, ''), "
    "coalesce(ai_generative_training::text, ''),"
    " coalesce(data_mining::text, ''), coalesce(ai_inference::text, ''),"
    " rmtc_micros(effective_at), rmtc_micros(recorded_at), recorded_by, note, seq::text,"
    " artefact_id::text FROM consent WHERE seq = $1";
// --- clearances ---------------------------------------------------------------

// A clearance row `c` as one JSON object, read by ReadClearance; its
// revoked_at is the earliest revocation recorded.
#define RMTC_CLEARANCE_JSON                                                              \
  "json_build_object('id', c.id::text, 'party', c.party, 'evidence', c.evidence,"        \
  " 'valid_from', rmtc_micros(c.valid_from), 'valid_until', rmtc_micros(c.valid_until)," \
  " 'artefact_id', c.artefact_id::text,"                                                 \
  " 'downstream_id', coalesce(c.downstream_id::text, ''), 'facility', c.facility,"       \
  " 'project', c.project, 'uses', c.uses, 'rules', c.rules, 'licence_id', c.licence_id," \
  " 'rights_holder', c.rights_holder, 'note', c.note,"                                   \
  " 'revoked_at', (SELECT rmtc_micros(min(cr.revoked_at)) FROM clearance_revocation cr"  \
  "                 WHERE cr.clearance_id = c.id),"                                      \
  " 'created_at', rmtc_micros(c.created_at), 'created_by', c.created_by)::text"

inline constexpr char kInsertClearance[] =
    "INSERT INTO clearance (id, party, evidence, valid_from, valid_until, artefact_id,"
    " downstream_id, facility, project, uses, rules, licence_id, rights_holder, note,"
    " created_by)"
    " VALUES ($1::uuid, $2, $3, rmtc_time($4), rmtc_time($5), $6::uuid,"
    "         nullif($7, '')::uuid, $8, $9, $10::text[], $11::text[], $12, $13,"
    "         $14, $15)";

inline constexpr char kGetClearance[] =
    "SELECT " RMTC_CLEARANCE_JSON " FROM clearance c WHERE c.id = $1::uuid";

// $1 keyset id; $2 an artefact id the clearance names ('' : any); $3 the
// granting party ('' : any); $4 limit.
inline constexpr char kListClearances[] =
    "SELECT " RMTC_CLEARANCE_JSON
    " FROM clearance c"
    " WHERE c.id > $1::uuid"
    "   AND ($2 = '' OR c.artefact_id = nullif($2, '')::uuid"
    "        OR c.downstream_id = nullif($2, '')::uuid)"
    "   AND ($3 = '' OR c.party = $3)"
    " ORDER BY c.id LIMIT $4";

// Appends a revocation if the clearance exists; the earliest one counts.
inline constexpr char kRevokeClearance[] =
    "INSERT INTO clearance_revocation (clearance_id, revoked_at, recorded_by)"
    " SELECT id, rmtc_time($2), $3 FROM clearance WHERE id = $1::uuid RETURNING seq";

// --- evaluation --------------------------------------------------------------
//
// Everything a licensing evaluation reads, in one statement: the upstream
// subgraph of the roots (each node once: the walk has no depth column, so
// UNION keeps it to one row per node however many paths reach it), its
// edges, and every attachment, election and consent on it, and the
// licences those attachments name, and a row 't' if the walk goes on past
// the nodes read. Rows are tagged by their first column; the last is a
// consent's seq (to name a row it cannot read).
// The rights tables are read by `artefact_id = ANY (ids)`, not by a join
// with `reached`: the planner cannot estimate a recursive walk, and for a
// join it chose to hash the whole of licence_attachment (a sequential scan
// that grows with the studio, not the subgraph: 20 ms of a 100k-node
// check). An array lookup always takes the artefact_id indexes.
// Prepared on every connection of the shared pool (as kRightsGraphStmt):
// parsing this statement took as long as running it on a small subgraph.
// $1 roots; $2 the most nodes to read.
inline constexpr char kRightsGraphStmt[] = "rights_graph";
inline constexpr char kRightsGraph[] =
    "WITH RECURSIVE walk (id) AS ("
    "    SELECT unnest($1::uuid[])"
    "  UNION"
    "    SELECT e.source_id FROM walk w JOIN edge e ON e.derived_id = w.id"
    "), reached AS (SELECT id FROM walk LIMIT $2"
    "), ids AS (SELECT array_agg(id) AS a FROM reached"
    "), att AS ("
    "  SELECT la.* FROM licence_attachment la"
    "   WHERE la.artefact_id = ANY ((SELECT a FROM ids)::uuid[])"
    ")"
    " SELECT 'n', a.id::text, a.kind::text, a.name,"
    "        (a.attributes->'generative' = 'true'::jsonb)::text, a.facility,"
    "        CASE WHEN jsonb_typeof(a.attributes->'project') = 'string'"
    "             THEN a.attributes->>'project' ELSE '' END,"
    "        rmtc_micros(a.created_at), '', '', ''"
    "   FROM reached r JOIN artefact a ON a.id = r.id"
    " UNION ALL"
    " SELECT 'e', e.derived_id::text, e.source_id::text, e.relation::text,"
    "        '', '', '', '', '', '', ''"
    "   FROM edge e JOIN reached r ON e.derived_id = r.id"
    " UNION ALL"
    " SELECT 'a', artefact_id::text, expression, array_to_string(licence_ids, ' '),"
    "        attribution, attached_by, '', '', '', rmtc_micros(attached_at), ''"
    "   FROM att"
    " UNION ALL"
    " SELECT 'x', le.artefact_id::text, le.licence_id, le.elected_by, '', '', '', '', '',"
    "        rmtc_micros(le.elected_at), ''"
    "   FROM licence_election le WHERE le.artefact_id = ANY ((SELECT a FROM ids)::uuid[])"
    " UNION ALL"
    " SELECT 'c', c.artefact_id::text, c.party, coalesce(c.ai_training::text, ''),"
    "        coalesce(c.ai_generative_training::text, ''), coalesce(c.data_mining::text, "
    "''),"
    "        coalesce(c.ai_inference::text, ''), c.recorded_by, c.note,"
    "        rmtc_micros(c.effective_at), c.seq::text"
    "   FROM consent c WHERE c.artefact_id = ANY ((SELECT a FROM ids)::uuid[])"
    " UNION ALL"
    " SELECT 'l', l.id, l.name, l.terms::text, rmtc_micros(l.valid_from),"
    "        rmtc_micros(l.valid_until), rmtc_micros(l.revoked_at), l.licensor,"
    "        l.licensee, to_json(l.jurisdictions)::text, ''"
    "   FROM licence l WHERE l.id IN (SELECT unnest(licence_ids) FROM att)"
    " UNION ALL"
    " SELECT 'k', c.id::text, " RMTC_CLEARANCE_JSON
    ", '', '', '', '', '', '', '', ''"
    "   FROM clearance c WHERE c.artefact_id = ANY ((SELECT a FROM ids)::uuid[])"
    " UNION ALL"
    " SELECT 't', '', '', '', '', '', '', '', '', '', ''"
    "  WHERE EXISTS (SELECT 1 FROM walk OFFSET $2)";

// --- impact ------------------------------------------------------------------
//
// Everything downstream of a set of roots, paged by id, with counts per
// kind over the whole set. The roots differ by target; the rest is shared.
// The page is cut from the walk's ids before any artefact row is read, so
// only the counts touch every reached artefact.
// $1 target (licence id, party, or artefact id); $2 go on past evaluated_on
// (false: a run evaluated on the material is reached, and the walk stops
// there: evaluation judges the run and carries no licence term further);
// $3 keyset id; $4 limit.
#define RMTC_IMPACT_SQL(ROOTS)                                                     \
  "WITH RECURSIVE roots (id) AS (" ROOTS                                           \
  "), walk (id, stop) AS ("                                                        \
  "    SELECT id, false FROM roots"                                                \
  "  UNION"                                                                        \
  "    SELECT e.derived_id, NOT $2::bool AND e.relation = 'evaluated_on'"          \
  "      FROM walk w JOIN edge e ON e.source_id = w.id WHERE NOT w.stop"           \
  "), reached (id) AS (SELECT DISTINCT id FROM walk"                               \
  ")"                                                                              \
  " SELECT 'k', a.kind::text, count(*)::text, min(a.id::text), '', '', '', '', ''" \
  "   FROM reached w JOIN artefact a ON a.id = w.id GROUP BY a.kind"               \
  " UNION ALL"                                                                     \
  " (SELECT 'n', a.id::text, a.kind::text, a.name, a.version, a.uri,"              \
  "         (a.id IN (SELECT id FROM roots))::text, rmtc_micros(a.created_at),"    \
  "         a.facility"                                                            \
  "    FROM (SELECT id FROM reached WHERE id > $3::uuid ORDER BY id LIMIT $4) p"   \
  "    JOIN artefact a ON a.id = p.id ORDER BY a.id)"

// The artefacts whose attachment in force now names the licence.
inline constexpr char kImpactOfLicence[] = RMTC_IMPACT_SQL(
    "SELECT artefact_id FROM ("
    "  SELECT DISTINCT ON (artefact_id) artefact_id, licence_ids FROM licence_attachment"
    "   WHERE artefact_id IN (SELECT artefact_id FROM licence_attachment"
    "                          WHERE licence_ids @> ARRAY[$1]::text[])"
    "     AND attached_at <= now()"
    "   ORDER BY artefact_id, attached_at DESC, seq DESC) current"
    " WHERE $1 = ANY (current.licence_ids)");

inline constexpr char kImpactOfParty[] =
    RMTC_IMPACT_SQL("SELECT DISTINCT artefact_id FROM consent WHERE party = $1");

inline constexpr char kImpactOfArtefact[] =
    RMTC_IMPACT_SQL("SELECT id FROM artefact WHERE id = $1::uuid");

#undef RMTC_IMPACT_SQL

}  // namespace rmtc::store::rights_sql
