# The server's layers (docs/architecture.md "Layers"): each one's sources,
# and what it must not include. server/CMakeLists.txt builds one library per
# layer from these lists; tests/fuzz builds instrumented copies of the same
# lists with clang, so no source is listed twice.
#
# Paths are relative to server/.

# Plain structs, enum names, the licence-terms codec, ids.
set(rmtc_records_sources
  records/artefact.cpp
  records/audit.cpp
  records/licence_terms.cpp
  records/licensing.cpp
  records/uuid.cpp)
set(rmtc_records_forbidden
  "pqxx|libpq|grpc|google/protobuf|spdlog|\"(lineage|store|rpc|embedded)/")

# The domain: provenance rules, licensing, validation. No SQL, no wire: it
# sees the stores through their interfaces only.
set(rmtc_lineage_sources
  lineage/audit_log.cpp
  lineage/clearances.cpp
  lineage/licensing.cpp
  lineage/licensing_evaluator.cpp
  lineage/page_budget.cpp
  lineage/page_token.cpp
  lineage/propagation.cpp
  lineage/provenance_graph.cpp
  lineage/rules.cpp
  lineage/spdx.cpp
  lineage/terms.cpp
  lineage/terms_in_force.cpp
  lineage/validation.cpp)
set(rmtc_lineage_forbidden
  "pqxx|libpq|grpc|google/protobuf|\"(rpc|embedded)/|\"store/(pg_|sql|rights_sql|connection_pool|database_url|statement_watch|transaction_runner|migrator|write_requests|request_sweep|audit_trail|audit_sql|sql_arrays)")

# PostgreSQL: the only layer that speaks SQL.
set(rmtc_store_sources
  store/audit_trail.cpp
  store/connection_pool.cpp
  store/database_url.cpp
  store/deployment_key.cpp
  store/migrator.cpp
  store/pg_access_store.cpp
  store/pg_audit_store.cpp
  store/pg_lineage_store.cpp
  store/pg_rights_store.cpp
  store/request_sweep.cpp
  store/statement_watch.cpp
  store/write_requests.cpp)
set(rmtc_store_forbidden "grpc|google/protobuf|\"(lineage|rpc|embedded)/")

# Identity and roles: who a call runs as, and what it may do. Called by the
# dispatchers of every listener, never by the domain; sees the token store
# through its interface only.
set(rmtc_auth_sources
  auth/authenticator.cpp
  auth/certificate_identities.cpp
  auth/roles.cpp
  auth/secrets.cpp
  auth/token_registry.cpp)
set(rmtc_auth_forbidden
  "pqxx|libpq|grpc|google/protobuf|\"(lineage|rpc|embedded)/|\"store/(pg_|sql|rights_sql|connection_pool|transaction_runner|migrator|write_requests|request_sweep)")

# The private PostgreSQL of the zero-config default.
set(rmtc_embedded_sources
  embedded/embedded_postgres.cpp
  embedded/process.cpp)
set(rmtc_embedded_forbidden "pqxx|grpc|google/protobuf|\"(lineage|store|rpc)/")

# The wire: gRPC services over the domain. No SQL.
set(rmtc_rpc_sources
  rpc/access_service.cpp
  rpc/audit_service.cpp
  rpc/convert.cpp
  rpc/dispatcher.cpp
  rpc/licensing_convert.cpp
  rpc/licensing_service.cpp
  rpc/lineage_service.cpp
  rpc/request_digest.cpp
  rpc/server.cpp
  rpc/tls.cpp
  rpc/utf8_locator.cpp)
set(rmtc_rpc_forbidden "pqxx|libpq|\"(store|embedded)/")
