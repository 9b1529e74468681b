#!/usr/bin/env bash
# Installs RMTC into a scratch prefix, builds a small outside project against
# the installed package -- once with find_package(rmtc), once with
# pkg-config -- and runs both against a live rmtcd.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
scratch=$(mktemp -d)
rmtcd_pid=
cleanup() {
  if [ -n "$rmtcd_pid" ]; then kill "$rmtcd_pid" 2>/dev/null || true; wait "$rmtcd_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
chmod 0711 "$scratch"  # the embedded PostgreSQL runs as 'postgres' under root

prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in include/rmtc/client.h include/rmtc/types.h include/rmtc/result.h include/rmtc/export.h \
         bin/rmtc bin/rmtcd; do
  test -e "$prefix/$f" || { echo "not installed: $f"; exit 1; }
done
config=$(find "$prefix" -name rmtcConfig.cmake)
pc=$(find "$prefix" -name rmtc.pc)
test -n "$config" && test -n "$pc" || { echo "no CMake package or pkg-config file"; exit 1; }
# The public headers must not need gRPC, protobuf or libpqxx.
if grep -rE '#include [<"](grpc|google/protobuf|pqxx)' "$prefix/include/rmtc"; then
  echo "public headers include gRPC, protobuf or libpqxx"; exit 1
fi

# The log exists before the loop reads it (the background redirection may
# not have run yet).
: > "$scratch/rmtcd.out"
"$prefix/bin/rmtcd" --data-dir "$scratch/data" --listen 127.0.0.1:0 --shutdown-grace 1 \
  > "$scratch/rmtcd.out" 2>&1 &
rmtcd_pid=$!
for _ in $(seq 1 300); do
  address=$(sed -n 's/^rmtcd listening on //p' "$scratch/rmtcd.out")
  [ -n "$address" ] && break
  kill -0 "$rmtcd_pid" 2>/dev/null || { cat "$scratch/rmtcd.out"; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "rmtcd did not start"; cat "$scratch/rmtcd.out"; exit 1; }

# The README's C++ snippet, verbatim, in a main() that fails unless its
# trace came back. Only its address literal is pointed at this rmtcd.
snippet=$scratch/readme_snippet.cpp
readme_cpp=$(awk '/^### From C\+\+/ {section = 1} section && /^```$/ {exit}
                  section && inside {print} section && /^```cpp$/ {inside = 1}' "$source/README.md")
{
  head -n 1 <<<"$readme_cpp"   # the #include
  echo 'int main() {'
  tail -n +2 <<<"$readme_cpp" | sed "s|\"127.0.0.1:50051\"|\"$address\"|"
  echo '  return trace && !trace->nodes.empty() ? 0 : 1;'
  echo '}'
} > "$snippet"
grep -q 'client->Trace' "$snippet" || { echo "README has no C++ snippet"; cat "$snippet"; exit 1; }

echo "== find_package(rmtc), -Wall -Wextra -Werror"
cmake -S "$source/tests/install/consumer" -B "$scratch/consumer" \
  -DCMAKE_PREFIX_PATH="$prefix" -DREADME_SNIPPET="$snippet" >/dev/null
cmake --build "$scratch/consumer"
"$scratch/consumer/trace_frame" "$address"
"$scratch/consumer/readme_snippet"
echo "the README snippet ran"

echo "== pkg-config rmtc"
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
# As a user would: no LD_LIBRARY_PATH; the program finds librmtc by itself.
for program in "$source/tests/install/consumer/main.cpp" "$snippet"; do
  g++ -std=c++20 -Wall -Wextra -Werror "$program" -o "$scratch/pc_program" \
    $(pkg-config --cflags --libs rmtc)
  env -u LD_LIBRARY_PATH "$scratch/pc_program" "$address"
done

echo "== the installed rmtc CLI finds its library"
"$prefix/bin/rmtc" --address "$address" ls --name consumer
