#!/usr/bin/env python3
"""The README's front door, run as a new user runs it.

Reads README.md's "five-minute walk-through" and runs it as written:

1. `script/server` (the README's first block), with `--listen 127.0.0.1:0`
   and a scratch `--data-dir` appended -- the README says arguments after
   `script/server` go to rmtcd. That installs, builds build/release and
   starts rmtcd, exactly as for a user.
2. Every shell block of the walk-through, line by line, in one bash session
   (so `alias rmtc=...` and the variables carry over), with RMTC_ADDRESS
   pointing at that rmtcd. A line ending in `# exit N` must exit N, every
   other line 0, and every variable it assigns must hold an id.
3. The output blocks that follow a block are compared with what its last
   command printed: line for line, in any order (ids, times and a trailing
   `...` are wildcards; the README's wrapped lines are joined).
4. The commands the prose names (`rmtc check $FRAME --use internal-research`
   is ALLOWED (exit 0), ...), found in the README and run.
5. Ctrl-C (SIGINT) stops rmtcd cleanly (exit 0); `script/server` again on
   the same data directory serves the same lineage and the same verdict.

    readme_test.py SOURCE_DIR
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"
SERVER_START_SECONDS = 1800  # the first run builds build/release from scratch


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def walkthrough(readme):
    """The walk-through section: from its heading to the next heading."""
    match = re.search(r"^## A five-minute walk-through\n(.*?)^##", readme, re.S | re.M)
    if not match:
        fail("README.md has no '## A five-minute walk-through' section")
    return match.group(1)


def blocks(section):
    """(language, text) of each fenced block, in order."""
    return re.findall(r"^```(\w*)\n(.*?)^```", section, re.S | re.M)


def shell_lines(text):
    """The block's commands: continuation lines joined, comments kept."""
    lines, current = [], ""
    for raw in text.splitlines():
        if raw.endswith("\\"):
            current += raw[:-1]
            continue
        current += raw
        if current.strip() and not current.lstrip().startswith("#"):
            lines.append(current)
        current = ""
    return lines


def expected_exit(line):
    match = re.search(r"#\s*exit (\d+)\s*$", line)
    return int(match.group(1)) if match else 0


def line_pattern(expected):
    """A README output line as a regex: an elided id (`0193...`, its first
    four digits) is any id, a trailing `...` is anything, a timestamp is any
    timestamp."""
    ends_open = (expected.rstrip().endswith("...") and
                 not re.search(r"\b[0-9a-f]{4}\.\.\.$", expected.rstrip()))
    text = expected.rstrip()[:-3] if ends_open else expected.rstrip()
    pattern = ""
    for piece in re.split(r"(\b[0-9a-f]{4}\.\.\.|" + TIME + r")", text):
        if piece is None or piece == "":
            continue
        if re.fullmatch(r"[0-9a-f]{4}\.\.\.", piece):
            pattern += UUID
        elif re.fullmatch(TIME, piece):
            pattern += TIME
        elif re.fullmatch(r"\.\d+", piece):
            continue  # the fraction group of TIME
        else:
            pattern += re.escape(piece)
    return pattern + (".*" if ends_open else r"\s*") + "$"


def unwrap(text):
    """The README wraps long output lines, continuing them indented by four
    spaces under a line indented by two; rmtc prints them whole."""
    lines = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if lines and line.startswith("    ") and not lines[-1].startswith("    ") \
                and lines[-1].startswith("  ") and not re.match(r"\s*[│├└]", line):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return lines


def compare_output(expected, actual, what):
    """Each README line matches its own line of the output, and the output
    has no line the README does not show. Lines may come in another order:
    the README promises the content, not the order of reasons."""
    want = unwrap(expected)
    have = [l for l in actual.splitlines() if l.strip()]
    unused = list(have)
    for line in want:
        pattern = line_pattern(line)
        found = next((l for l in unused if re.match(pattern, l)), None)
        if found is None:
            fail(f"{what}: the README shows\n  {line}\nbut rmtc printed no such line:\n{actual}")
        unused.remove(found)
    if unused:
        fail(f"{what}: rmtc printed lines the README does not show:\n  "
             + "\n  ".join(unused) + f"\nwhole output:\n{actual}")


class Server:
    """script/server in the background; its output in a log file."""

    def __init__(self, source, data_dir, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [os.path.join(source, "script/server"), "--listen", "127.0.0.1:0",
             "--data-dir", data_dir, "--shutdown-grace", "2"],
            cwd=source, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def address(self):
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            with open(self.log_path) as f:
                match = re.search(r"^rmtcd listening on (\S+)", f.read(), re.M)
            if match:
                return match.group(1)
            if self.process.poll() is not None:
                fail(f"script/server exited {self.process.returncode} before serving:\n"
                     + open(self.log_path).read())
            time.sleep(0.2)
        fail("script/server did not serve in time:\n" + open(self.log_path).read())

    def interrupt(self):
        """Ctrl-C: rmtcd (script/server execs it) stops cleanly, exit 0."""
        self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            fail("rmtcd did not stop within 60 s of SIGINT")
        if code != 0:
            fail(f"rmtcd exited {code} on SIGINT:\n" + open(self.log_path).read())

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Shell:
    """One bash session: aliases and variables carry from line to line."""

    def __init__(self, cwd, address, scratch):
        env = dict(os.environ, RMTC_ADDRESS=address)
        self.scratch = scratch
        self.count = 0
        self.bash = subprocess.Popen(["bash", "--norc", "--noprofile"], cwd=cwd, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.send("shopt -s expand_aliases")

    def send(self, text):
        self.bash.stdin.write(text + "\n")
        self.bash.stdin.flush()

    def run(self, line):
        """Runs one README line; returns (exit code, stdout, stderr)."""
        self.count += 1
        out = os.path.join(self.scratch, f"cmd{self.count}")
        # A brace group keeps assignments and aliases in this shell.
        self.send(f"{{ {line}\n}} >{out}.out 2>{out}.err; echo \"@@ $?\"")
        marker = self.bash.stdout.readline()
        if not marker.startswith("@@ "):
            fail(f"bash said {marker!r} running: {line}")
        with open(out + ".out") as o, open(out + ".err") as e:
            return int(marker.split()[1]), o.read(), e.read()

    def value(self, name):
        self.send(f'echo "@@ ${{{name}:-}}"')
        return self.bash.stdout.readline()[3:].strip()

    def close(self):
        self.bash.stdin.close()
        self.bash.wait()


def run_checked(shell, line):
    code, out, err = shell.run(line)
    want = expected_exit(line)
    if code != want:
        fail(f"README line exited {code}, the README says {want}:\n  {line}\n"
             f"stdout:\n{out}\nstderr:\n{err}")
    for name in re.findall(r"^\s*([A-Z_]+)=\$\(", line):
        value = shell.value(name)
        if not re.fullmatch(UUID, value):
            fail(f"README line set {name} to {value!r}, not an id:\n  {line}\n{err}")
    return out


# The commands the prose gives, each followed in the README by what it
# promises. The test fails if the README stops saying them.
PROSE = [
    ("`rmtc --json check $FRAME --use\nclient-delivery | jq '.reasons[].source_count'` counts them", r"^2$"),
    ("`rmtc check $FRAME --use internal-research` is ALLOWED (exit 0)", r"^ALLOWED for internal-research"),
    ("`rmtc chain\n$FRAME` lists every term", r"CC-BY-NC-4\.0"),
    ("`rmtc consent set $A --party 'Ngaio Artist'\n--ai-training not-allowed`", r""),
    ("`rmtc impact --party 'Ngaio Artist'` lists every\nrun, weights, inference and output",
     r"sh010_comp_v001\.exr"),
    ("`rmtc trace $A --down`", r"sh010_comp_v001\.exr"),
    ("`rmtc trace $FRAME --format dot | dot -Tsvg > frame.svg`", r""),
]


def main():
    source = os.path.abspath(sys.argv[1])
    with open(os.path.join(source, "README.md")) as f:
        readme = f.read()
    section = walkthrough(readme)
    fenced = blocks(section)
    if not fenced or fenced[0][1].splitlines()[0].strip() != "script/server":
        fail("the walk-through no longer starts with a `script/server` block")

    scratch = tempfile.mkdtemp(prefix="rmtc-readme-")
    os.chmod(scratch, 0o711)  # as root, the embedded PostgreSQL runs as 'postgres'
    data_dir = os.path.join(scratch, "data")
    server = Server(source, data_dir, os.path.join(scratch, "server1.log"))
    shell = None
    try:
        address = server.address()
        print(f"script/server serves on {address}", flush=True)
        shell = Shell(source, address, scratch)

        # The blocks after script/server; an untagged block is the output
        # of the last command of the shell block before it.
        last_out, last_line, outputs = None, None, {}
        for language, text in fenced[1:]:
            if language == "sh":
                for line in shell_lines(text):
                    print(f"$ {line}", flush=True)
                    last_out, last_line = run_checked(shell, line), line
                    outputs[line] = last_out
            elif language == "":
                if last_out is None:
                    fail("an output block with no command before it")
                compare_output(text, last_out, f"output of `{last_line}`")
                print(f"  output matches the README ({len(text.splitlines())} lines)")

        # The prose's commands, from a scratch directory (frame.svg lands there).
        flat = " ".join(section.split())
        shell.run(f"cd {scratch}")
        for quoted, promise in PROSE:
            if " ".join(quoted.split()) not in flat:
                fail(f"the README no longer says: {quoted}")
            command = " ".join(quoted.split("`")[1].split())
            print(f"$ {command}", flush=True)
            out = run_checked(shell, command)
            if promise and not re.search(promise, out, re.M):
                fail(f"`{command}` printed no /{promise}/:\n{out}")
        svg = os.path.join(scratch, "frame.svg")
        if not os.path.exists(svg) or "<svg" not in open(svg).read():
            fail("`rmtc trace --format dot | dot -Tsvg` wrote no SVG")

        # Stop (Ctrl-C) and start again: the same data is served.
        trace_line = next(l for l in outputs if l.startswith("rmtc trace $FRAME"))
        check_line = next(l for l in outputs if l.startswith("rmtc check $FRAME"))
        server.interrupt()
        print("rmtcd stopped cleanly on Ctrl-C; starting script/server again", flush=True)
        server = Server(source, data_dir, os.path.join(scratch, "server2.log"))
        address = server.address()
        shell.run(f"export RMTC_ADDRESS={address}")
        code, out, err = shell.run(trace_line)
        if code != 0 or out != outputs[trace_line]:
            fail(f"after a restart `{trace_line}` printed\n{out}{err}\nnot\n{outputs[trace_line]}")
        code, out, err = shell.run(check_line)
        if code != expected_exit(check_line):
            fail(f"after a restart `{check_line}` exited {code}:\n{out}{err}")
        print("after the restart: the same trace and the same verdict", flush=True)
        server.interrupt()
        print("1 passed, 0 failed")
    finally:
        if shell:
            shell.close()
        server.kill()
        for name in ("plate_1001.exr", "plate_1002.exr"):
            try:
                os.remove(os.path.join("/tmp", name))
            except OSError:
                pass
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
