"""Contract: everything in `deploy/` runs what the code really offers.

Every file under `deploy/` is parsed: YAML with `yaml.safe_load_all`, the Dockerfile
instruction by instruction, the README's shell blocks and inline `screening …` spans,
the Dockerfile's dockerignore as patterns. A file of any other kind fails the suite,
so nothing there escapes these checks:

- each command that runs `screening` parses with `api.cli.build_parser()`: a real
  parse, so an unknown subcommand or option fails (one test per command);
- each `SCREENING_*` name deploy/ sets or mentions is read by the code (a literal in
  the `.py` sources of api/, workers/ or matching/), and the values it sets are
  accepted by `api.settings` and `workers.settings` at import;
- each port exposed, published, targeted, probed or dialled is the API's
  (`screening api`'s `--port` default, read with no SCREENING_* set) or Redis's
  (redis-py's default port), and each Redis URL names a Redis service;
- each HTTP path probed or scraped is served by the Flask app (`api.app.create_app`'s
  url_map or a non-404 answer from its test client; before that module exists, a
  quoted literal in api/);
- the Dockerfile is multi-stage, ends on python:3.11-slim, runs as a non-root USER,
  runs `screening api` by default, exposes the API port and health-checks /readyz;
- compose, Kubernetes and KEDA wiring: health probes on the right paths, Redis with
  AOF on persistent storage, workers scaled on the real chunk queue and never to
  zero, non-root pods with resource limits sized for the engines a pod may hold,
  references (ConfigMap, claims, kustomization) that resolve.

Self-checks at the end prove that the checkers reject bogus input.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
CODE_PACKAGES = ("api", "workers", "matching")
ENV_NAME = re.compile(r"\bSCREENING_[A-Z0-9_]*[A-Z0-9]\b")
URL = re.compile(r"\b[a-z][a-z0-9+]*://[^\s'\"),\]]+")
SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash"}
SHELL_OPERATORS = {"&&", "||", ";", "|", "&", "(", ")", ";;"}
API_IMAGE = "screening"  # the repository part of the image deploy/Dockerfile builds
POSTGRES_PORT = 5432  # libpq's default: the compliance database (SCREENING_DATABASE_URL)


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Command:
    """One argv that deploy/ runs (or the README tells people to run)."""

    where: str
    argv: tuple[str, ...]


@dataclass(frozen=True)
class Port:
    where: str
    value: int | str


@dataclass(frozen=True)
class HttpPath:
    where: str
    path: str


@dataclass
class Facts:
    commands: list[Command] = field(default_factory=list)
    ports: list[Port] = field(default_factory=list)
    paths: list[HttpPath] = field(default_factory=list)
    env_names: list[tuple[str, str]] = field(default_factory=list)  # (where, name)
    env_values: dict[str, dict[str, str]] = field(default_factory=dict)  # where -> env
    redis_urls: list[tuple[str, str]] = field(default_factory=list)  # (where, url)
    database_urls: list[tuple[str, str]] = field(default_factory=list)  # (where, url)
    port_names: set[str] = field(default_factory=set)
    unparsed: list[str] = field(default_factory=list)  # `screening` used where we can't tell


# --------------------------------------------------------------------------- shell


def shell_segments(script: str) -> list[list[str]]:
    """Split a shell script into simple commands (at &&, ||, ;, |, newlines...)."""
    segments: list[list[str]] = [[]]
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        for token in lexer:
            if token in SHELL_OPERATORS:
                segments.append([])
            else:
                segments[-1].append(token)
        segments.append([])
    return [s for s in segments if s]


def strip_prefixes(argv: list[str]) -> list[str]:
    """Drop `VAR=value`, `exec`, `env` and `env VAR=value` in front of a command."""
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok in ("exec", "env", "command", "nohup") or re.fullmatch(r"[A-Za-z_]\w*=.*", tok):
            i += 1
            continue
        break
    return argv[i:]


def is_screening(token: str) -> bool:
    return token == "screening" or token.endswith("/screening")


def screening_argv(argv: list[str]) -> list[str] | None:
    """The arguments after `screening` (or `python -m api.cli`), None if argv runs
    something else (commands_in unwraps shells, docker compose and kubectl first)."""
    argv = strip_prefixes(argv)
    if not argv:
        return None
    if is_screening(argv[0]):
        return argv[1:]
    if Path(argv[0]).name.startswith("python") and argv[1:3] == ["-m", "api.cli"]:
        return argv[3:]
    return None


def commands_in(where: str, argv: list[str], facts: Facts, *, strict: bool = True) -> None:
    """Record every `screening` invocation in argv (a shell wrapper is split first).

    strict: a `screening` token that is not an invocation we can parse is recorded in
    facts.unparsed (it would escape the checks)."""
    argv = strip_prefixes(list(argv))
    if len(argv) >= 3 and argv[0] in SHELLS and "-c" in argv:
        script = argv[argv.index("-c") + 1]
        for segment in shell_segments(script):
            commands_in(where, segment, facts, strict=strict)
        return
    rest = screening_argv(argv)
    if rest is not None:
        facts.commands.append(Command(where, tuple(rest)))
        return
    wrapped = unwrap(argv)
    if wrapped is not None:
        commands_in(where, wrapped, facts, strict=strict)
        return
    if strict and any(is_screening(tok) for tok in argv):
        facts.unparsed.append(f"{where}: {shlex.join(argv)}")


def unwrap(argv: list[str]) -> list[str] | None:
    """The command inside `docker compose … run|exec [opts] SERVICE CMD…` or
    `kubectl … exec … -- CMD…`, None for anything else."""
    if argv[:1] == ["kubectl"] and "exec" in argv and "--" in argv:
        return argv[argv.index("--") + 1 :]
    if argv[:2] == ["docker", "compose"]:
        for verb in ("run", "exec"):
            if verb in argv:
                i = argv.index(verb) + 1
                while i < len(argv) and argv[i].startswith("-"):
                    i += 2 if argv[i] in ("-e", "--env", "-u", "--user", "-w", "--workdir") else 1
                return argv[i + 1 :] if i + 1 < len(argv) else None
    return None


# --------------------------------------------------------------------------- Dockerfile


@dataclass(frozen=True)
class Instruction:
    line: int
    keyword: str
    rest: str


def dockerfile_instructions(text: str) -> list[Instruction]:
    """Instructions with continuation lines joined; comments and blank lines dropped."""
    out: list[Instruction] = []
    buf: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and stripped.startswith("#"):
            continue  # a comment line inside a continued instruction
        if not buf:
            start = number
        if stripped.endswith("\\"):
            buf.append(stripped[:-1])
            continue
        buf.append(stripped)
        joined = " ".join(part.strip() for part in buf if part.strip())
        keyword, _, rest = joined.partition(" ")
        out.append(Instruction(start, keyword.upper(), rest.strip()))
        buf = []
    assert not buf, "Dockerfile ends inside a continued line"
    return out


def exec_or_shell(rest: str) -> list[str]:
    """argv of an exec-form (JSON) or shell-form (`sh -c`) instruction."""
    if rest.startswith("["):
        value = json.loads(rest)
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), rest
        return list(value)
    return ["/bin/sh", "-c", rest]


def split_options(rest: str) -> tuple[dict[str, str], str]:
    """Leading `--flag=value` options of an instruction, and what follows them."""
    options: dict[str, str] = {}
    while rest.startswith("--"):
        token, _, rest = rest.partition(" ")
        key, _, value = token[2:].partition("=")
        options[key] = value
        rest = rest.strip()
    return options, rest


@dataclass
class Dockerfile:
    path: Path
    instructions: list[Instruction]

    @property
    def args(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for ins in self.instructions:
            if ins.keyword == "ARG":
                name, _, default = ins.rest.partition("=")
                out[name.strip()] = default.strip()
        return out

    def expand(self, text: str) -> str:
        args = self.args
        return re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), text)

    @property
    def stages(self) -> list[list[Instruction]]:
        stages: list[list[Instruction]] = []
        for ins in self.instructions:
            if ins.keyword == "FROM":
                stages.append([])
            if stages:
                stages[-1].append(ins)
        return stages

    def final(self, keyword: str) -> list[Instruction]:
        return [i for i in self.stages[-1] if i.keyword == keyword]


def env_pairs(rest: str) -> dict[str, str]:
    """`ENV A=1 B=2` (or the legacy `ENV A 1`)."""
    tokens = shlex.split(rest)
    if tokens and "=" not in tokens[0]:
        return {tokens[0]: " ".join(tokens[1:])}
    return dict(tok.split("=", 1) for tok in tokens)


def dockerfile_facts(df: Dockerfile, facts: Facts) -> None:
    name = rel(df.path)
    for ins in df.instructions:
        where = f"{name}:{ins.line} {ins.keyword}"
        if ins.keyword in ("RUN", "CMD", "ENTRYPOINT"):
            commands_in(where, exec_or_shell(split_options(ins.rest)[1]), facts)
        elif ins.keyword == "HEALTHCHECK":
            _, rest = split_options(ins.rest)
            if rest.upper() != "NONE":
                assert rest.startswith("CMD "), f"{where}: HEALTHCHECK needs CMD"
                commands_in(where, exec_or_shell(rest[4:].strip()), facts)
        elif ins.keyword == "EXPOSE":
            for token in ins.rest.split():
                facts.ports.append(Port(where, int(token.split("/")[0])))
        elif ins.keyword == "ENV":
            env = env_pairs(ins.rest)
            facts.env_values.setdefault(name, {}).update(env)
        scan_text(where, ins.rest, facts)


# --------------------------------------------------------------------------- YAML


def walk(node: Any, trail: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(trail, key, value) for every mapping entry and list item, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield trail, key, value
            yield from walk(value, f"{trail}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield trail, index, value
            yield from walk(value, f"{trail}[{index}]")


def scan_text(where: str, text: str, facts: Facts) -> None:
    """SCREENING_* names and URLs anywhere in a string."""
    facts.env_names.extend((where, n) for n in ENV_NAME.findall(text))
    for url in URL.findall(text):
        record_url(where, url, facts)


def record_url(where: str, url: str, facts: Facts) -> None:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        facts.ports.append(Port(where, parts.port or (443 if parts.scheme == "https" else 80)))
        facts.paths.append(HttpPath(where, parts.path or "/"))
    elif parts.scheme in ("redis", "rediss"):
        facts.redis_urls.append((where, url))
        facts.ports.append(Port(where, parts.port or 6379))
    elif parts.scheme.split("+")[0] in ("postgresql", "postgres"):
        facts.database_urls.append((where, url))
        facts.ports.append(Port(where, parts.port or POSTGRES_PORT))
    else:
        facts.unparsed.append(f"{where}: URL with unknown scheme {url}")


def yaml_facts(path: Path, docs: list[Any], facts: Facts) -> None:
    """Generic over compose and Kubernetes: strings, port keys, commands, env."""
    name = rel(path)
    for index, doc in enumerate(docs):
        if doc is None:
            continue
        for trail, key, value in walk(doc):
            where = f"{name}#{index}{trail}.{key}"
            if isinstance(key, str):
                scan_text(where, key, facts)
            if isinstance(value, str):
                scan_text(where, value, facts)
            if key in ("port", "containerPort", "targetPort", "hostPort") and isinstance(
                value, (int, str)
            ):
                facts.ports.append(Port(where, int(value) if _numeric(value) else value))
            if key == "prometheus.io/port":
                facts.ports.append(Port(where, int(value)))
            if key == "prometheus.io/path":
                facts.paths.append(HttpPath(where, value))
            if key == "httpGet" and isinstance(value, dict):
                facts.paths.append(HttpPath(where, value.get("path", "/")))
            if isinstance(value, dict) and "name" in value and "containerPort" in value:
                facts.port_names.add(value["name"])
            if isinstance(value, dict) and "containers" in value:
                pod_facts(where, value, facts)
        if is_compose(path):
            compose_facts(name, doc, facts)
        elif doc.get("kind") == "ConfigMap":
            data = doc.get("data") or {}
            facts.env_values[f"{name}#{index}"] = {str(k): str(v) for k, v in data.items()}
        elif doc.get("kind") == "ScaledObject":
            for trigger in doc["spec"]["triggers"]:
                address = trigger.get("metadata", {}).get("address")
                if address:
                    record_url(f"{name}#{index} trigger", f"redis://{address}", facts)


def _numeric(value: int | str) -> bool:
    return isinstance(value, int) or value.isdigit()


def pod_facts(where: str, pod: dict[str, Any], facts: Facts) -> None:
    for container in [*pod.get("initContainers", []), *pod["containers"]]:
        cwhere = f"{where} container {container['name']}"
        argv = [*container.get("command", []), *container.get("args", [])]
        if argv:
            commands_in(cwhere, argv, facts)
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            exec_ = container.get(probe, {}).get("exec")
            if exec_:
                commands_in(f"{cwhere} {probe}", exec_["command"], facts)
        env = {e["name"]: str(e.get("value", "")) for e in container.get("env", [])}
        if env:
            facts.env_values[cwhere] = env


def is_compose(path: Path) -> bool:
    return path.name.startswith(("compose.", "docker-compose."))


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def compose_facts(name: str, doc: dict[str, Any], facts: Facts) -> None:
    for service, spec in doc.get("services", {}).items():
        where = f"{name} service {service}"
        entrypoint = spec.get("entrypoint", [])
        command = spec.get("command", [])
        argv = [*_argv(entrypoint), *_argv(command)]
        if argv:
            commands_in(where, argv, facts)
        test = (spec.get("healthcheck") or {}).get("test")
        if isinstance(test, list) and test and test[0] in ("CMD", "CMD-SHELL"):
            cmd = test[1:] if test[0] == "CMD" else ["/bin/sh", "-c", test[1]]
            commands_in(f"{where} healthcheck", cmd, facts)
        elif isinstance(test, str):
            commands_in(f"{where} healthcheck", ["/bin/sh", "-c", test], facts)
        env = spec.get("environment") or {}
        if isinstance(env, list):
            env = dict(item.split("=", 1) for item in env)
        facts.env_values[where] = {str(k): str(v) for k, v in env.items()}
        for entry in spec.get("ports", []):
            if isinstance(entry, dict):
                facts.ports.append(Port(where, int(entry["target"])))
                if "published" in entry:
                    facts.ports.append(Port(where, int(entry["published"])))
            else:
                parts = str(entry).split("/")[0].split(":")
                facts.ports.extend(Port(where, int(p)) for p in parts[-2:] if p.isdigit())
        for entry in spec.get("expose", []):
            facts.ports.append(Port(where, int(str(entry).split("/")[0])))


def _argv(value: str | list[str]) -> list[str]:
    return shlex.split(value) if isinstance(value, str) else list(value)


# --------------------------------------------------------------------------- README


def readme_facts(path: Path, facts: Facts) -> None:
    name = rel(path)
    text = path.read_text(encoding="utf-8")
    for block in re.findall(r"```(?:sh|bash|shell|console)?\n(.*?)```", text, re.S):
        for segment in shell_segments(block):
            commands_in(f"{name} code block", segment, facts, strict=False)
        scan_text(f"{name} code block", block, facts)
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for span in re.findall(r"`([^`\n]+)`", prose):
        if span == "screening":
            continue  # the program's name in a sentence, not a command
        for segment in shell_segments(span):
            commands_in(f"{name} `{span}`", segment, facts, strict=False)
    facts.env_names.extend((name, n) for n in ENV_NAME.findall(text))


# --------------------------------------------------------------------------- load all


@dataclass
class Deploy:
    files: list[Path]
    yaml_docs: dict[Path, list[Any]]
    dockerfiles: list[Dockerfile]
    facts: Facts

    def docs(self, kind: str) -> list[dict[str, Any]]:
        return [
            d
            for docs in self.yaml_docs.values()
            for d in docs
            if isinstance(d, dict) and d.get("kind") == kind
        ]

    def k8s(self, kind: str, name: str) -> dict[str, Any]:
        found = [d for d in self.docs(kind) if d["metadata"]["name"] == name]
        assert len(found) == 1, f"expected one {kind} {name!r}, found {len(found)}"
        return found[0]

    @property
    def compose(self) -> dict[str, Any]:
        found = [docs[0] for path, docs in self.yaml_docs.items() if is_compose(path)]
        assert len(found) == 1, f"expected one compose file in deploy/, found {len(found)}"
        return found[0]


def kind_of(path: Path) -> str:
    if path.suffix in (".yaml", ".yml"):
        return "yaml"
    if path.name == "Dockerfile" or path.name.endswith(".Dockerfile"):
        return "dockerfile"
    if path.name.endswith(".dockerignore") or path.name == ".dockerignore":
        return "dockerignore"
    if path.suffix == ".md":
        return "markdown"
    return "unknown"


def load(root: Path = DEPLOY) -> Deploy:
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    deploy = Deploy(files, {}, [], Facts())
    for path in files:
        kind = kind_of(path)
        if kind == "yaml":
            docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
            deploy.yaml_docs[path] = docs
            yaml_facts(path, docs, deploy.facts)
        elif kind == "dockerfile":
            df = Dockerfile(path, dockerfile_instructions(path.read_text(encoding="utf-8")))
            deploy.dockerfiles.append(df)
            dockerfile_facts(df, deploy.facts)
        elif kind == "markdown":
            readme_facts(path, deploy.facts)
    return deploy


DEPLOYMENT = load()
FACTS = DEPLOYMENT.facts


# --------------------------------------------------------------------------- the code's truth


@cache
def code_sources() -> str:
    texts = []
    for path in sorted(p for pkg in CODE_PACKAGES for p in (ROOT / pkg).rglob("*.py")):
        with contextlib.suppress(FileNotFoundError):  # an editor's temporary file, gone
            texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


@cache
def env_read_by_code() -> tuple[frozenset[str], tuple[str, ...]]:
    """Literal SCREENING_* names in the sources, and literal prefixes of dynamic names
    (a string literal ending in `_`, e.g. "SCREENING_LIST_URL_" + name)."""
    text = code_sources()
    names = frozenset(ENV_NAME.findall(text))
    prefixes = tuple(sorted(set(re.findall(r"[\"'](SCREENING_[A-Z0-9_]*_)[\"']", text))))
    return names, prefixes


def env_is_read(name: str) -> bool:
    names, prefixes = env_read_by_code()
    return name in names or any(name.startswith(p) and name != p for p in prefixes)


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}


def import_settings(module: str, env: dict[str, str], expr: str = "'ok'") -> str:
    """Import a settings module in a fresh interpreter with env set; print expr."""
    proc = subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print({expr})"],
        env={**clean_env(), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, f"{module} refused {env}: {proc.stderr.strip()[-500:]}"
    return proc.stdout.strip()


def parse_screening(argv: tuple[str, ...]) -> Any:
    """api.cli's real parser on argv; AssertionError (with argparse's message) if refused."""
    from api.cli import build_parser

    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            args = build_parser().parse_args(list(argv))
    except SystemExit as exc:
        raise AssertionError(
            f"`screening {shlex.join(argv)}` is not a valid command: "
            f"{err.getvalue().strip().splitlines()[-1:] or exc}"
        ) from None
    assert callable(getattr(args, "func", None)), f"`screening {shlex.join(argv)}` runs nothing"
    return args


@cache
def api_port() -> int:
    """The port `screening api` listens on by default: its --port default, read in a
    fresh interpreter with no SCREENING_* variable set (so the test's env can't leak in)."""
    out = run_code(
        "from api.cli import build_parser; print(build_parser().parse_args(['api']).port)"
    )
    return int(out)


@cache
def redis_port() -> int:
    """The port the code dials when a Redis URL names none: redis-py's default."""
    import redis.connection

    default = inspect.signature(redis.connection.Connection.__init__).parameters["port"].default
    assert isinstance(default, int)
    return default


SERVED_PROBE = """
import json, sys
import redis
from api.app import create_app
# A client that is never dialled: building the app and its url_map needs no Redis.
app = create_app({"REDIS_CLIENT": redis.Redis(host="127.0.0.1", port=1)})
rules = {r.rule for r in app.url_map.iter_rules()}
client = app.test_client()
# Mounted WSGI apps (e.g. prometheus' /metrics) are not in url_map: ask the app.
answer = {p: p in rules or client.get(p).status_code != 404 for p in json.loads(sys.argv[1])}
print(json.dumps(answer))
"""


@cache
def served(paths: frozenset[str]) -> dict[str, bool]:
    """Which paths the Flask app serves: api.app.create_app's url_map (built in a fresh
    interpreter, so its warm-up thread ends with it); before api/app.py exists, a quoted
    literal in api/."""
    if not (ROOT / "api" / "app.py").is_file():
        text = "\n".join(p.read_text("utf-8") for p in (ROOT / "api").rglob("*.py"))
        literals = set(re.findall(r"[\"'](/[\w/.{}<>:-]*)[\"']", text))
        return {p: p in literals for p in paths}
    return dict(json.loads(run_code(SERVED_PROBE, json.dumps(sorted(paths)))))


def is_served(path: str) -> bool:
    return served(frozenset({p.path for p in FACTS.paths} | {path}))[path]


def run_code(code: str, *args: str) -> str:
    """Run code in a fresh interpreter from the repository root, no SCREENING_* set
    except a scratch data dir; its stdout's last line."""
    with tempfile.TemporaryDirectory(prefix="screening-test-deploy-") as data_dir:
        proc = subprocess.run(
            [sys.executable, "-c", code, *args],
            env={**clean_env(), "SCREENING_DATA_DIR": data_dir},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 0, proc.stderr.strip()[-1500:]
    return proc.stdout.strip().splitlines()[-1]


def parse_quantity(value: str | int) -> float:
    """Kubernetes quantity (512Mi, 1.5Gi, 500m, 2) in base units."""
    units = {
        "Ki": 2**10,
        "Mi": 2**20,
        "Gi": 2**30,
        "Ti": 2**40,
        "k": 1e3,
        "M": 1e6,
        "G": 1e9,
        "T": 1e12,
        "m": 1e-3,
    }
    match = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value))
    assert match and (match.group(2) in units or not match.group(2)), f"bad quantity {value!r}"
    return float(match.group(1)) * units.get(match.group(2), 1)


def pod_specs(deploy: Deploy) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, docs in deploy.yaml_docs.items():
        if is_compose(path):
            continue
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            for trail, key, value in walk(doc):
                if isinstance(value, dict) and "containers" in value:
                    yield f"{path.name} {doc['kind']}/{doc['metadata']['name']}{trail}.{key}", value


def container_of(workload: dict[str, Any]) -> dict[str, Any]:
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{workload['metadata']['name']}: one container expected"
    return containers[0]


def _id(item: Command | Port | HttpPath | tuple[str, str]) -> str:
    if isinstance(item, Command):
        return f"{item.where}: screening {' '.join(item.argv)}"
    if isinstance(item, Port):
        return f"{item.where}={item.value}"
    if isinstance(item, HttpPath):
        return f"{item.where}={item.path}"
    return f"{item[0]}={item[1]}"


# =========================================================================== tests: files


def test_every_file_in_deploy_is_one_the_suite_parses() -> None:
    unknown = [rel(p) for p in DEPLOYMENT.files if kind_of(p) == "unknown"]
    assert not unknown, f"files in deploy/ that no check reads: {unknown}"
    kinds = {kind_of(p) for p in DEPLOYMENT.files}
    assert {"yaml", "dockerfile", "markdown"} <= kinds, kinds


def test_no_screening_invocation_escapes_the_parser() -> None:
    assert not FACTS.unparsed, "\n".join(FACTS.unparsed)


# =========================================================================== commands


@pytest.mark.parametrize("command", FACTS.commands, ids=_id)
def test_command_is_a_real_screening_subcommand(command: Command) -> None:
    parse_screening(command.argv)


def test_the_roles_each_run_their_subcommand() -> None:
    ran = {(c.argv[:2] if c.argv[:1] == ("lists",) else c.argv[:1]) for c in FACTS.commands}
    assert {("api",), ("worker",), ("lists", "update")} <= ran, ran


# =========================================================================== environment


@pytest.mark.parametrize("entry", sorted(set(FACTS.env_names)), ids=_id)
def test_screening_variable_is_read_by_the_code(entry: tuple[str, str]) -> None:
    where, name = entry
    assert env_is_read(name), f"{where}: {name} is read nowhere in {CODE_PACKAGES}"


def screening_env(where: str) -> dict[str, str]:
    return {k: v for k, v in FACTS.env_values[where].items() if k.startswith("SCREENING_")}


@pytest.mark.parametrize("where", [w for w in sorted(FACTS.env_values) if screening_env(w)])
def test_settings_accept_the_values_deploy_sets(where: str) -> None:
    env = screening_env(where)
    import_settings("workers.settings", env)
    if (ROOT / "api" / "settings.py").is_file():
        import_settings("api.settings", env)


# =========================================================================== ports


@pytest.mark.parametrize("port", FACTS.ports, ids=_id)
def test_port_is_one_the_code_uses(port: Port) -> None:
    if isinstance(port.value, str):
        assert port.value in FACTS.port_names, f"{port.where}: unknown named port {port.value!r}"
        return
    assert port.value in {api_port(), redis_port(), POSTGRES_PORT}, (
        f"{port.where}: port {port.value} is neither the API's ({api_port()}), "
        f"Redis's ({redis_port()}) nor PostgreSQL's ({POSTGRES_PORT})"
    )


@pytest.mark.parametrize("entry", FACTS.database_urls, ids=_id)
def test_database_url_names_a_postgres_service_and_a_driver_we_ship(
    entry: tuple[str, str],
) -> None:
    """SCREENING_DATABASE_URL names the psycopg (v3) driver pinned in pyproject and a
    PostgreSQL service deploy/ runs."""
    where, url = entry
    parts = urlsplit(url)
    assert parts.scheme == "postgresql+psycopg", f"{where}: {url} (the driver is psycopg 3)"
    assert parts.port in (None, POSTGRES_PORT), f"{where}: {url}"
    hosts = {name for name in DEPLOYMENT.compose["services"] if "postgres" in name}
    hosts |= {d["metadata"]["name"] for d in DEPLOYMENT.docs("Service")
              if POSTGRES_PORT in _service_ports(d)}
    assert parts.hostname in hosts, f"{where}: {parts.hostname} is not one of {hosts}"


def test_api_and_workers_get_the_database_url() -> None:
    for name in ("screening-api", "screening-worker"):
        container = container_of(DEPLOYMENT.k8s("Deployment", name))
        env = {e["name"]: e for e in container.get("env", [])}
        ref = env["SCREENING_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        secret = DEPLOYMENT.k8s("Secret", ref["name"])
        assert ref["key"] in secret["stringData"], name
    for service in ("api", "worker"):
        spec = DEPLOYMENT.compose["services"][service]
        assert "SCREENING_DATABASE_URL" in spec["environment"], service
        assert "postgres" in spec["depends_on"], service


@pytest.mark.parametrize("entry", FACTS.redis_urls, ids=_id)
def test_redis_url_names_a_redis_service(entry: tuple[str, str]) -> None:
    where, url = entry
    parts = urlsplit(url)
    assert parts.port in (None, redis_port()), f"{where}: {url}"
    redis_hosts = {name for name in DEPLOYMENT.compose["services"] if "redis" in name}
    redis_hosts |= {
        d["metadata"]["name"] for d in DEPLOYMENT.docs("Service") if 6379 in _service_ports(d)
    }
    assert parts.hostname in redis_hosts, f"{where}: {parts.hostname} is not one of {redis_hosts}"


def _service_ports(service: dict[str, Any]) -> set[int]:
    return {p["port"] for p in service["spec"]["ports"]}


# =========================================================================== HTTP paths


@pytest.mark.parametrize("path", FACTS.paths, ids=_id)
def test_http_path_is_served_by_the_app(path: HttpPath) -> None:
    assert is_served(path.path), f"{path.where}: the app serves no {path.path}"


# =========================================================================== Dockerfile


@pytest.fixture(scope="module")
def dockerfile() -> Dockerfile:
    assert len(DEPLOYMENT.dockerfiles) == 1, "expected exactly one deploy/Dockerfile"
    return DEPLOYMENT.dockerfiles[0]


def test_dockerfile_is_multi_stage_on_python_slim(dockerfile: Dockerfile) -> None:
    froms = [dockerfile.expand(i.rest) for i in dockerfile.instructions if i.keyword == "FROM"]
    assert len(froms) >= 2, froms
    final_image = froms[-1].split()[0]
    assert final_image == "python:3.11-slim", final_image
    copies = [i.rest for i in dockerfile.final("COPY")]
    assert any(c.startswith("--from=") for c in copies), "runtime copies nothing from a build stage"


def test_dockerfile_runs_as_non_root(dockerfile: Dockerfile) -> None:
    users = dockerfile.final("USER")
    assert users, "the final stage has no USER: the container runs as root"
    user = users[-1].rest.split(":")[0]
    assert user not in ("root", "0", ""), f"USER {users[-1].rest}"
    # Nothing after the USER line switches back to root.
    last_user = dockerfile.stages[-1].index(users[-1])
    assert not any(i.keyword == "USER" for i in dockerfile.stages[-1][last_user + 1 :])


def test_dockerfile_default_command_is_screening_api(dockerfile: Dockerfile) -> None:
    entry = dockerfile.final("ENTRYPOINT")
    cmds = dockerfile.final("CMD")
    assert cmds and not entry, "expected a CMD and no ENTRYPOINT"
    argv = screening_argv(exec_or_shell(cmds[-1].rest))
    assert argv is not None and argv[:1] == ["api"], cmds[-1].rest
    parse_screening(tuple(argv))
    exposed = [int(p.split("/")[0]) for i in dockerfile.final("EXPOSE") for p in i.rest.split()]
    assert exposed == [api_port()], exposed


def test_dockerfile_healthcheck_probes_readyz_without_curl(dockerfile: Dockerfile) -> None:
    checks = dockerfile.final("HEALTHCHECK")
    assert len(checks) == 1, "expected one HEALTHCHECK"
    rest = checks[0].rest
    assert "curl" not in rest and "wget" not in rest, "python:3.11-slim has neither"
    assert "urllib" in rest, rest
    urls = URL.findall(rest)
    assert [urlsplit(u).path for u in urls] == ["/readyz"], urls
    assert [urlsplit(u).port for u in urls] == [api_port()], urls


def test_dockerfile_copies_only_what_exists(dockerfile: Dockerfile) -> None:
    """COPY sources are relative to the build context, the repository root."""
    for ins in dockerfile.instructions:
        if ins.keyword != "COPY" or "--from=" in ins.rest:
            continue
        _, rest = split_options(ins.rest)
        sources = shlex.split(rest)[:-1]
        for source in sources:
            assert list(ROOT.glob(source)), f"line {ins.line}: COPY {source}: not in the repo"


def test_dockerignore_keeps_local_state_out() -> None:
    ignores = [p for p in DEPLOYMENT.files if kind_of(p) == "dockerignore"]
    assert ignores, "no dockerignore for deploy/Dockerfile"
    for path in ignores:
        patterns = {
            line.strip()
            for line in path.read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        }
        assert {".venv", ".screening", ".git"} <= patterns, patterns


# =========================================================================== compose


def test_compose_redis_has_aof_volume_and_healthcheck() -> None:
    compose = DEPLOYMENT.compose
    redis = compose["services"]["redis"]
    assert redis["image"].split(":")[0] == "redis" and redis["image"].startswith("redis:7")
    command = _argv(redis["command"])
    assert "--appendonly" in command and command[command.index("--appendonly") + 1] == "yes"
    volume = [v.split(":")[0] for v in redis["volumes"] if v.endswith(":/data")]
    assert volume and volume[0] in compose["volumes"], "Redis data is not on a named volume"
    assert redis["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]


def test_compose_api_and_worker_wiring() -> None:
    services = DEPLOYMENT.compose["services"]
    api, worker = services["api"], services["worker"]
    assert _argv(api["command"])[:2] == ["screening", "api"]
    assert _argv(worker["command"])[:2] == ["screening", "worker"]
    test = api["healthcheck"]["test"]
    assert [urlsplit(u).path for u in URL.findall(" ".join(test))] == ["/readyz"], test
    data_volumes = []
    for service in (api, worker):
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        env = service["environment"]
        assert urlsplit(env["SCREENING_REDIS_URL"]).hostname == "redis"
        mounts = dict(reversed(v.split(":")[:2]) for v in service["volumes"])
        assert env["SCREENING_DATA_DIR"] in mounts, "the data dir is not on a volume"
        data_volumes.append(mounts[env["SCREENING_DATA_DIR"]])
    assert data_volumes[0] == data_volumes[1], "API and worker must share list snapshots"
    assert data_volumes[0] in DEPLOYMENT.compose["volumes"]


# =========================================================================== Kubernetes


def test_k8s_api_probes_and_service() -> None:
    api = DEPLOYMENT.k8s("Deployment", "screening-api")
    container = container_of(api)
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    # Liveness must not depend on Redis or workers, or an outage restarts every pod.
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    ports = {p["containerPort"] for p in container["ports"]}
    assert ports == {api_port()}
    args = screening_argv(container["command"])
    assert args is not None and args[0] == "api"
    assert getattr(parse_screening(tuple(args)), "port", api_port()) == api_port()
    service = DEPLOYMENT.k8s("Service", "screening-api")
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= ports
    labels = api["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items(), "Service selects no API pod"


def test_k8s_redis_statefulset_persists_with_aof() -> None:
    redis = DEPLOYMENT.k8s("StatefulSet", "redis")
    container = container_of(redis)
    command = [*container.get("command", []), *container.get("args", [])]
    assert command[command.index("--appendonly") + 1] == "yes"
    claims = {t["metadata"]["name"] for t in redis["spec"]["volumeClaimTemplates"]}
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert any(mounts.get(c) == "/data" for c in claims), "AOF dir /data is not on a claim"
    service = DEPLOYMENT.k8s("Service", redis["spec"]["serviceName"])
    assert service["spec"]["clusterIP"] == "None", "the StatefulSet's Service must be headless"
    assert _service_ports(service) == {redis_port()}


def test_keda_scales_workers_on_the_real_chunk_queue() -> None:
    scaled = DEPLOYMENT.docs("ScaledObject")
    assert len(scaled) == 1
    spec = scaled[0]["spec"]
    worker = DEPLOYMENT.k8s("Deployment", spec["scaleTargetRef"]["name"])
    args = screening_argv(container_of(worker)["command"])
    assert args is not None and args[0] == "worker", "KEDA scales something else"
    # /readyz needs a live worker: zero workers = no ready API = no job to wake one.
    assert spec.get("minReplicaCount", 0) >= 1
    assert spec["maxReplicaCount"] > spec["minReplicaCount"]
    (trigger,) = spec["triggers"]
    assert trigger["type"] == "redis"
    configured = [
        v["SCREENING_CHUNK_QUEUE"]
        for v in FACTS.env_values.values()
        if "SCREENING_CHUNK_QUEUE" in v
    ]
    queue = import_settings("workers.settings", {}, "s.CHUNK_QUEUE")
    assert set(configured) <= {queue}, f"SCREENING_CHUNK_QUEUE overridden to {configured}"
    assert trigger["metadata"]["listName"] == queue


def test_k8s_pods_run_non_root_with_resource_limits() -> None:
    specs = list(pod_specs(DEPLOYMENT))
    assert len(specs) >= 4, [w for w, _ in specs]  # api, worker, redis, cronjob
    image_uid = DEPLOYMENT.dockerfiles[0].final("USER")[-1].rest.split(":")[0]
    for where, pod in specs:
        pod_ctx = pod.get("securityContext", {})
        for container in pod["containers"]:
            ctx = {**pod_ctx, **container.get("securityContext", {})}
            assert ctx.get("runAsNonRoot") is True, f"{where}: runAsNonRoot"
            assert ctx.get("runAsUser", 1) != 0, f"{where}: runAsUser 0"
            assert ctx.get("allowPrivilegeEscalation") is False, f"{where}: privilege escalation"
            if container["image"].split(":")[0] == API_IMAGE:
                assert str(ctx.get("runAsUser")) == image_uid, f"{where}: uid != image's"
            resources = container.get("resources", {})
            assert "memory" in resources.get("requests", {}), f"{where}: no memory request"
            assert "memory" in resources.get("limits", {}), f"{where}: no memory limit"


ENGINE_BYTES = 2**30  # a matching engine with every list loaded: ~1 GB


@pytest.mark.parametrize("name", ["screening-worker", "screening-api"])
def test_memory_fits_the_engines_a_pod_may_hold(name: str) -> None:
    """Requests hold one engine with headroom; the limit holds every engine the
    process may cache (SCREENING_ENGINE_CACHE_SIZE) while a list update swaps them."""
    container = container_of(DEPLOYMENT.k8s("Deployment", name))
    request = parse_quantity(container["resources"]["requests"]["memory"])
    limit = parse_quantity(container["resources"]["limits"]["memory"])
    assert request >= 1.5 * ENGINE_BYTES, f"{name}: request {request / 2**30:.2f} GiB"
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(DEPLOYMENT.k8s("ConfigMap", source["configMapRef"]["name"])["data"])
    cached = int(import_settings("workers.settings", screening_only(env), "s.ENGINE_CACHE_SIZE"))
    assert limit >= cached * ENGINE_BYTES * 1.25, f"{name}: {cached} engines in {limit} bytes"


def screening_only(env: dict[str, str]) -> dict[str, str]:
    return {k: str(v) for k, v in env.items() if k.startswith("SCREENING_")}


def test_worker_runs_one_process_per_pod() -> None:
    worker = container_of(DEPLOYMENT.k8s("Deployment", "screening-worker"))
    args = screening_argv(worker["command"]) or []
    concurrency = getattr(parse_screening(tuple(args)), "concurrency", None)
    assert concurrency == 1, "each prefork child holds its own engines: one process per pod"


def test_cronjob_refreshes_lists_daily() -> None:
    (cron,) = DEPLOYMENT.docs("CronJob")
    fields = cron["spec"]["schedule"].split()
    assert len(fields) == 5 and fields[2:] == ["*", "*", "*"], cron["spec"]["schedule"]
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    args = screening_argv(pod["containers"][0]["command"])
    assert args is not None and args[:2] == ["lists", "update"]


def test_k8s_references_resolve() -> None:
    """ConfigMaps, claims and Services that pods name exist; the kustomization lists
    every manifest."""
    configmaps = {d["metadata"]["name"] for d in DEPLOYMENT.docs("ConfigMap")}
    claims = {d["metadata"]["name"] for d in DEPLOYMENT.docs("PersistentVolumeClaim")}
    for where, pod in pod_specs(DEPLOYMENT):
        for container in pod["containers"]:
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in configmaps, where
        for volume in pod.get("volumes", []):
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims, where
    (kustomization,) = DEPLOYMENT.docs("Kustomization")
    k8s_dir = DEPLOY / "k8s"
    manifests = {p.name for p in k8s_dir.glob("*.yaml") if p.name != "kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests


# =========================================================================== self-checks


def test_self_check_bogus_commands_are_rejected() -> None:
    for argv in (("nonsense",), ("api", "--no-such-option"), ("lists", "nonsense"), ()):
        with pytest.raises(AssertionError):
            parse_screening(argv)
    facts = Facts()
    commands_in("t", ["sh", "-c", "echo hi && exec screening nonsense --x"], facts)
    assert [c.argv for c in facts.commands] == [("nonsense", "--x")]
    with pytest.raises(AssertionError):
        parse_screening(facts.commands[0].argv)
    commands_in("t", ["tini", "--", "screening", "api"], facts)
    assert facts.unparsed, "a `screening` the extractor cannot place must be flagged"


def test_self_check_extractors_see_what_is_there(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  x:\n    command: screening bogus\n    ports: ['9999:1234']\n"
        "    environment: {SCREENING_NOT_A_THING: '1'}\n"
        "    healthcheck: {test: [CMD, python, -c, \"u('http://localhost:8000/nope')\"]}\n",
        encoding="utf-8",
    )
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.11-slim\nEXPOSE 4321\nCMD ["screening", "nope"]\n', encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("?", encoding="utf-8")
    fake = load(tmp_path)
    assert kind_of(tmp_path / "notes.txt") == "unknown"
    assert {c.argv for c in fake.facts.commands} == {("bogus",), ("nope",)}
    assert {p.value for p in fake.facts.ports} == {9999, 1234, 8000, 4321}
    assert [p.path for p in fake.facts.paths] == ["/nope"]
    assert "SCREENING_NOT_A_THING" in {n for _, n in fake.facts.env_names}
    assert not env_is_read("SCREENING_NOT_A_THING")


def test_self_check_the_code_truth_is_not_vacuous() -> None:
    assert env_is_read("SCREENING_REDIS_URL")
    assert not env_is_read("SCREENING_NONSENSE")
    assert redis_port() == 6379
    assert isinstance(api_port(), int)
    assert 4321 not in {api_port(), redis_port()}
    assert FACTS.commands and FACTS.ports and FACTS.paths and FACTS.env_names
    assert not is_served("/definitely-not-served")
