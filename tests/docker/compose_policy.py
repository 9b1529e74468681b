#!/usr/bin/env python3
"""Checks docker/docker-compose.yml is safe to publish as shipped (issue 10).

`docker-compose config` validates the schema but accepts a key given twice
(the second silently wins: a later `RMTC_AUTH: open` would undo the first).
This reads the file with a loader that refuses duplicate keys, then checks
what docs/operations.md ("Security", "Docker") promises of it. Usage:
compose_policy.py docker/docker-compose.yml; exit 1 naming each breach.
"""
import sys

import yaml


class StrictLoader(yaml.SafeLoader):
    pass


def _no_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is given twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def breaches(doc):
    out = []
    services = doc.get("services", {})
    rmtcd = services.get("rmtcd", {})
    env = rmtcd.get("environment", {})
    command = [str(c) for c in rmtcd.get("command", [])]
    secrets = set(doc.get("secrets", {}))
    if env.get("RMTC_AUTH") != "required":
        out.append("rmtcd: RMTC_AUTH must be 'required'")
    for flag in ("--insecure", "--auth"):
        if flag in command:
            out.append(f"rmtcd: the command must not give {flag}")
    for name in ("RMTC_TLS_CERT", "RMTC_TLS_KEY", "RMTC_BOOTSTRAP_TOKEN_FILE"):
        value = str(env.get(name, ""))
        if not value.startswith("/run/secrets/"):
            out.append(f"rmtcd: {name} must name a compose secret (/run/secrets/...)")
        elif value.removeprefix("/run/secrets/") not in secrets:
            out.append(f"rmtcd: {name} names a secret the file does not define")
    for i, arg in enumerate(command):
        if arg == "--database-url" and i + 1 < len(command):
            url = command[i + 1]
            userinfo = url.split("://", 1)[-1].split("@", 1)[0] if "@" in url else ""
            if ":" in userinfo:
                out.append("rmtcd: the database URL must not carry a password "
                           "(use --database-password-file)")
    postgres = services.get("postgres", {})
    if "POSTGRES_PASSWORD" in postgres.get("environment", {}):
        out.append("postgres: POSTGRES_PASSWORD in plain text (use POSTGRES_PASSWORD_FILE)")
    if postgres.get("ports"):
        out.append("postgres: must not publish a port")
    for port in rmtcd.get("ports", []):
        if not str(port).startswith("${RMTC_PUBLISH:-127.0.0.1:"):
            out.append(f"rmtcd: port {port!r} must default to the host's loopback")
    return out


def self_test(path):
    """Each breach the policy names is caught in a copy of the real file."""
    import copy
    with open(path, encoding="utf-8") as f:
        text = f.read()
    base = yaml.load(text, Loader=StrictLoader)
    failures = []
    assert not breaches(base), breaches(base)

    def expect(what, edit):
        doc = copy.deepcopy(base)
        edit(doc)
        if not any(what in b for b in breaches(doc)):
            failures.append(f"not caught: {what}")

    rmtcd = lambda d: d["services"]["rmtcd"]  # noqa: E731
    expect("RMTC_AUTH", lambda d: rmtcd(d)["environment"].update(RMTC_AUTH="open"))
    expect("--insecure", lambda d: rmtcd(d)["command"].append("--insecure"))
    expect("RMTC_TLS_KEY", lambda d: rmtcd(d)["environment"].pop("RMTC_TLS_KEY"))
    expect("password", lambda d: rmtcd(d)["command"].__setitem__(
        1, "postgresql://rmtc:hunter2@postgres:5432/rmtc"))
    expect("publish a port", lambda d: d["services"]["postgres"].update(
        ports=["5432:5432"]))
    expect("loopback", lambda d: rmtcd(d).update(ports=["50051:50051"]))
    try:
        yaml.load(text.replace("RMTC_AUTH: required",
                               "RMTC_AUTH: required\n      RMTC_AUTH: open"),
                  Loader=StrictLoader)
        failures.append("not caught: a key given twice")
    except yaml.YAMLError:
        pass
    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


def main(path):
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=StrictLoader)
    except yaml.YAMLError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1
    found = breaches(doc)
    for b in found:
        print(f"{path}: {b}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--self-test":
        sys.exit(self_test(sys.argv[2]))
    sys.exit(main(sys.argv[1]))
