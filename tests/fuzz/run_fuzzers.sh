#!/usr/bin/env bash
# Runs the libFuzzer targets built from tests/fuzz/CMakeLists.txt.
#
#   tests/fuzz/run_fuzzers.sh BUILD_DIR SECONDS [TARGET...]
#
# For each target (default: all of them) it first replays every file under
# tests/fuzz/regressions/<target>/ and tests/fuzz/corpus/<target>/, one run
# each, then fuzzes for SECONDS on a temporary copy of the seed corpus (the
# repository is never written), even when a replayed input failed, so one
# known bug does not hide others. SECONDS=0 replays only. A crash, a broken
# invariant, a timeout or an out-of-memory fails the target; its input is
# kept under BUILD_DIR/fuzz-artifacts/<target>/ with the command that
# reproduces it. Prints one summary line per target; exits 1 if any failed.
#
# RMTC_FUZZ_KEEP_GOING=1 fuzzes in libFuzzer's fork mode and keeps going past
# crashes, timeouts and OOMs (every input is kept): for a hunt while a known
# bug awaits its fix. The target still fails if anything was found.
set -u -o pipefail

if [[ $# -lt 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd) || exit 2
seconds=$2
shift 2

all_targets=(spdx attributes licence_terms request authorization)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all_targets[@]}")

# The longest input each target is fuzzed with: a little past the limits the
# parsers enforce (expressions: 4096 bytes); longer cases live in regressions.
declare -A max_len=([spdx]=4200 [attributes]=8192 [licence_terms]=4096 [request]=8192 [authorization]=512)

# Sanitizer reports with stacks; UBSan stops at the first report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

work=$(mktemp -d "${TMPDIR:-/tmp}/rmtc-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

common=(-rss_limit_mb=2048)
summaries=()
failed=0

# Prints the part of a libFuzzer log that says what went wrong.
show_failure() {
  local log=$1 from
  from=$(grep -m1 -n -E 'invariant broken|terminate called|runtime error|ERROR: |ALARM' "$log" |
    cut -d: -f1)
  if [[ -n $from ]]; then
    sed -n "${from},$((from + 40))p" "$log" | sed 's/^/    /'
  else
    tail -n 40 "$log" | sed 's/^/    /'
  fi
}

# Saves a failing input where it survives this script.
keep() {
  local target=$1 file=$2
  local dir="$build/fuzz-artifacts/$target"
  mkdir -p "$dir"
  cp "$file" "$dir/"
  echo "$dir/$(basename "$file")"
}

for target in "${targets[@]}"; do
  bin="$build/${target}_fuzz"
  if [[ ! -x $bin || -z ${max_len[$target]:-} ]]; then
    summaries+=("$(printf '%-14s FAILED  no fuzzer %s (unknown target, or not built)' "$target" "$bin")")
    failed=1
    continue
  fi
  echo "== $target"

  # 1. Replay: regressions first, then the seeds. One process per file, so
  #    every failing file is named, not just the first.
  replayed=0
  replay_failed=0
  for dir in "$here/regressions/$target" "$here/corpus/$target"; do
    [[ -d $dir ]] || continue
    while IFS= read -r -d '' file; do
      replayed=$((replayed + 1))
      log="$work/replay.log"
      if ! "$bin" "${common[@]}" -timeout=25 "$file" >"$log" 2>&1; then
        replay_failed=$((replay_failed + 1))
        echo "  FAILED on ${file#"$here"/}; reproduce: $bin $file"
        show_failure "$log"
      fi
    done < <(find "$dir" -type f ! -name '.*' ! -name 'README*' -print0 | sort -z)
  done
  replay_note=$(printf '%d replayed' "$replayed")
  if [[ $replay_failed -gt 0 ]]; then
    replay_note=$(printf '%d of %d replayed inputs FAIL' "$replay_failed" "$replayed")
    failed=1
  fi
  if [[ $seconds -eq 0 ]]; then
    summaries+=("$(printf '%-14s %-7s %s' "$target" \
      "$([[ $replay_failed -gt 0 ]] && echo FAILED || echo OK)" "$replay_note")")
    continue
  fi

  # 2. Fuzz on a fresh copy of the seeds.
  corpus="$work/$target/corpus"
  artifacts="$work/$target/artifacts"
  mkdir -p "$corpus" "$artifacts"
  [[ -d $here/corpus/$target ]] && cp -R "$here/corpus/$target/." "$corpus/"
  seeds=$(find "$corpus" -type f | wc -l)
  dict=()
  [[ -f $here/dicts/$target.dict ]] && dict=(-dict="$here/dicts/$target.dict")
  log="$work/$target/fuzz.log"
  keep_going=()
  [[ ${RMTC_FUZZ_KEEP_GOING:-0} == 1 ]] &&
    keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  started=$(date +%s)
  "$bin" "${common[@]}" "${keep_going[@]}" -timeout=10 -max_total_time="$seconds" -max_len="${max_len[$target]}" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" >"$log" 2>&1
  rc=$?
  elapsed=$(($(date +%s) - started))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  [[ -z $runs ]] && runs=$(grep -o '^#[0-9]*' "$log" | tail -n1 | tr -d '#')
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2)
  units=$(find "$corpus" -type f | wc -l)
  found=$(find "$artifacts" -type f | wc -l)
  stats=$(printf '%s execs in %ss (%s/s), cov %s, corpus %s -> %s; %s' \
    "${runs:-?}" "$elapsed" "${rate:-?}" "${cov:-?}" "$seeds" "$units" "$replay_note")
  [[ $found -gt 0 ]] && stats+="; $found failing inputs"
  if [[ $rc -ne 0 || $found -gt 0 || $replay_failed -gt 0 ]]; then
    summaries+=("$(printf '%-14s FAILED  %s' "$target" "$stats")")
  else
    summaries+=("$(printf '%-14s OK      %s' "$target" "$stats")")
  fi
  if [[ $rc -ne 0 || $found -gt 0 ]]; then
    failed=1
    echo "  FAILED (exit $rc) after $elapsed s:"
    show_failure "$log"
    while IFS= read -r -d '' crash; do
      kept=$(keep "$target" "$crash")
      echo "  input kept: $kept"
      echo "    reproduce: $bin $kept"
      echo "    as a regression: cp $kept $here/regressions/$target/"
    done < <(find "$artifacts" -type f -print0 | sort -z)
  fi
done

echo "== summary"
printf '%s\n' "${summaries[@]}"
exit $failed
