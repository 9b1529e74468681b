#!/usr/bin/env python3
"""The Docker build context is what docker/Dockerfile needs, and no more.

No Docker engine runs here, so this applies .dockerignore's rules the way
Docker does (patterns in order, the last match wins, `!` re-includes, a
directory pattern covers what is under it) to the repository's files, and
checks that:
  - every path the Dockerfile COPYs (from the context) is in the context,
    with every file under it;
  - every directory the top-level CMakeLists.txt adds (outside the tests)
    and every file CMake reads at configure time is in the context;
  - build trees and git history are not (build/ is hundreds of MB).

    context_test.py SOURCE_DIR
"""

import fnmatch
import os
import re
import sys


def rules(source):
    out = []
    with open(os.path.join(source, ".dockerignore")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            pattern = line[1:] if negate else line
            out.append((negate, pattern.strip("/")))
    return out


def excluded(path, patterns):
    """Docker's rule: the last pattern matching the path or one of its
    parent directories decides."""
    parts = path.split("/")
    verdict = False
    for negate, pattern in patterns:
        for i in range(1, len(parts) + 1):
            if fnmatch.fnmatchcase("/".join(parts[:i]), pattern):
                verdict = not negate
                break
    return verdict


def files(source):
    for root, dirs, names in os.walk(source):
        dirs[:] = [d for d in dirs if d != ".git" or root != source]
        for name in names:
            yield os.path.relpath(os.path.join(root, name), source)


def main():
    source = os.path.abspath(sys.argv[1])
    patterns = rules(source)
    failures = []

    dockerfile = open(os.path.join(source, "docker/Dockerfile")).read()
    copied = []
    for line in dockerfile.splitlines():
        match = re.match(r"^COPY\s+(?!--from)(\S+)\s+\S+\s*$", line)
        if match:
            copied.append(match.group(1).rstrip("/"))
    if not copied:
        failures.append("docker/Dockerfile copies nothing from the context")

    cmake = open(os.path.join(source, "CMakeLists.txt")).read()
    before_tests = cmake.split("if(RMTC_BUILD_TESTS)")[0]
    needed = re.findall(r"add_subdirectory\((\w+)\)", before_tests)
    needed += ["CMakeLists.txt"]
    needed += [m.split("/")[0] for m in re.findall(r"include\(([\w/.]+\.cmake)\)", cmake)]
    for path in needed:
        if path not in copied:
            failures.append(f"the build needs {path}/ but docker/Dockerfile does not COPY it")

    all_files = list(files(source))
    for path in copied:
        under = [f for f in all_files if f == path or f.startswith(path + "/")]
        if not under:
            failures.append(f"COPY {path}: no such path in the repository")
        for f in under:
            if excluded(f, patterns):
                failures.append(f"COPY {path}: {f} is left out by .dockerignore")

    for probe in ["build/test/CMakeCache.txt", "build/release/server/rmtcd", ".git/HEAD",
                  "docs/api.md", "tests/CMakeLists.txt"]:
        if not excluded(probe, patterns):
            failures.append(f".dockerignore lets {probe} into the build context")

    context = [f for f in all_files if not excluded(f, patterns)]
    size = sum(os.path.getsize(os.path.join(source, f)) for f in context)
    print(f"build context: {len(context)} files, {size / 1e6:.1f} MB "
          f"(of {len(all_files)} files in the tree)")
    for failure in failures:
        print("FAIL: " + failure)
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
