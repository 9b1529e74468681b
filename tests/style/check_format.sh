#!/usr/bin/env bash
# The C++ sources follow .clang-format (Google style, 90 columns): any file
# clang-format would change fails the test, naming the file and line.
# To fix: clang-format -i FILE (or git clang-format for a change).
#   check_format.sh SOURCE_DIR
set -euo pipefail
cd "$1"
mapfile -t files < <(find server client vocabulary tests \
  \( -path tests/fuzz/corpus -o -path tests/fuzz/regressions \) -prune -o \
  \( -name '*.cpp' -o -name '*.h' \) -print | sort)
echo "checking ${#files[@]} files against .clang-format ($(clang-format --version))"
if clang-format --dry-run --Werror "${files[@]}"; then
  echo "1 passed, 0 failed"
else
  echo "some files are not formatted: run clang-format -i on them"
  echo "0 passed, 1 failed"
  exit 1
fi
