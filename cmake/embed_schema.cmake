# Writes a C++ source that holds every schema/V<n>__<name>.sql migration, so
# rmtcd carries its schema inside the binary.
#   cmake -DSCHEMA_DIR=<dir> -DOUTPUT=<file.cpp> -P embed_schema.cmake
file(GLOB files "${SCHEMA_DIR}/V*__*.sql")
list(SORT files)
set(entries "")
foreach(file IN LISTS files)
  get_filename_component(name "${file}" NAME)
  if(NOT name MATCHES "^V([0-9]+)__([A-Za-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "${name}: migrations are named V<number>__<name>.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  set(label "${CMAKE_MATCH_2}")
  file(READ "${file}" sql)
  string(APPEND entries "      {${version}, \"${label}\", R\"rmtc_sql(${sql})rmtc_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from schema/ by cmake/embed_schema.cmake. Do not edit.
#include \"store/migrator.h\"

namespace rmtc::store {

const std::vector<Migration>& BuiltinMigrations() {
  static const std::vector<Migration> kMigrations = {
${entries}  };
  return kMigrations;
}

}  // namespace rmtc::store
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
