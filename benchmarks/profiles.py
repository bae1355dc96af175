"""Turning profiles into the "where the time goes" tables of docs/performance.md.

py-spy's collapsed stacks (one line per distinct stack: ``frame;frame;… count``) are folded into the
share of samples in which each function appears (inclusive) and at the top of the stack (self).
Grouping by a few well-known functions names the costs an engineer can act on (authentication, the
audit chain, JSON, SQLAlchemy flushes, the domain command, waiting for PostgreSQL).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")
_FRAME = re.compile(r"^(?P<func>[^ ]+) \((?P<file>[^:)]+)(?::\d+)?\)$")

# (label, substrings of "function (file)"): first match wins for the buckets table.
# Leaf frames of threads that wait for work (anyio's idle workers, the event loop's select, uvicorn's
# supervisor): py-spy cannot always tell them from running threads, so they are dropped.
IDLE_LEAVES = (
    "Condition.wait (threading.py)",
    "EpollSelector.select (selectors.py)",
    "Connection._recv (multiprocessing/connection.py)",
    "main (multiprocessing/resource_tracker.py)",
)
BUCKETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("waiting for PostgreSQL (psycopg wait: locks, I/O, query time)", ("Connection.wait (psycopg/",)),
    ("authentication (token lookup, principal, policy)", ("identify (", "_policy_decision", "evaluate (")),
    ("audit entry + hash chain (append, lock, sha256)", ("audit/chain.py",)),
    ("other businesses' handlers (選挙, 附票, 印鑑)", ("senkyo/", "fuhyo/", "inkan/")),
    ("住民記録 command (tenkyo: reads, snapshot, projection)", ("juki/commands/tenkyo.py",)),
    (
        "search (query, 支援措置 visibility, 抑止 flags, view)",
        ("juki/queries.py", "juki/visibility.py", "yokushi.py"),
    ),
    ("unit of work: commit, outbox, event payloads", ("uow.py", "events.py")),
    ("request parsing & response (FastAPI, pydantic, JSON)", ("fastapi/", "pydantic", "json/")),
    ("HTTP server (uvicorn, h11, asyncio)", ("uvicorn/", "h11/", "asyncio/")),
)


def _frames(stack: str) -> list[str]:
    out = []
    for raw in stack.split(";"):
        m = _FRAME.match(raw.strip())
        out.append(f"{m['func']} ({_short(m['file'])})" if m else raw.strip())
    return out


def _short(path: str) -> str:
    for marker in ("site-packages/", "src/yakuba/", "lib/python3.11/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def fold(files: Iterable[Path]) -> tuple[int, Counter[str], Counter[str], list[tuple[list[str], int]]]:
    """(total samples, inclusive counts, self counts, stacks) over the given collapsed-stack files."""
    total = 0
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    stacks: list[tuple[list[str], int]] = []
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            m = _LINE.match(line)
            if not m:
                continue
            count = int(m["count"])
            frames = _frames(m["stack"])
            if frames and frames[-1] in IDLE_LEAVES:
                continue
            total += count
            for name in set(frames):
                inclusive[name] += count
            if frames:
                own[frames[-1]] += count
            stacks.append((frames, count))
    return total, inclusive, own, stacks


def buckets(stacks: list[tuple[list[str], int]], total: int) -> list[tuple[str, float]]:
    """Share of samples per bucket: a stack belongs to the first bucket any of its frames matches.

    The PostgreSQL wait bucket is checked on the leaf frames only, so time spent waiting is counted as
    waiting whichever layer issued the query.
    """
    counts: Counter[str] = Counter()
    for frames, count in stacks:
        joined = ";".join(frames)
        leaf = ";".join(frames[-3:])
        for label, needles in BUCKETS:
            where = leaf if label.startswith("waiting") else joined
            if any(n in where for n in needles):
                counts[label] += count
                break
        else:
            counts["other"] += count
    return [(label, round(100 * c / total, 1)) for label, c in counts.most_common()] if total else []


def database_waits(stacks: list[tuple[list[str], int]], total: int) -> list[tuple[str, float]]:
    """Samples waiting for PostgreSQL, by the two innermost yakuba functions that issued the query."""
    counts: Counter[str] = Counter()
    for frames, count in stacks:
        if any("Connection.wait (psycopg/" in f for f in frames[-3:]):
            ours = [f for f in frames if "yakuba/" in f]
            counts[" › ".join(ours[-2:]) or "(outside yakuba)"] += count
    return [(label, round(100 * c / total, 1)) for label, c in counts.most_common(15)] if total else []


def report(files: list[Path], *, title: str, top: int = 25) -> str:
    """A markdown report: buckets, then the top functions by inclusive and by self share."""
    total, inclusive, own, stacks = fold(files)
    if not total:
        return f"### {title}\n\nNo samples (py-spy missing or not permitted).\n"
    lines = [
        f"### {title}",
        "",
        f"{total:,} samples (py-spy at 200 Hz on every uvicorn worker; idle threads dropped).",
        "",
    ]
    lines += ["| bucket | share of samples |", "|---|---|"]
    lines += [f"| {label} | {share} % |" for label, share in buckets(stacks, total)]
    lines += ["", "| waiting for PostgreSQL, issued by | share of samples |", "|---|---|"]
    lines += [f"| `{label}` | {share} % |" for label, share in database_waits(stacks, total)]
    lines += ["", "| function (inclusive) | % |", "|---|---|"]
    lines += [f"| `{name}` | {100 * c / total:.1f} |" for name, c in inclusive.most_common(top)]
    lines += ["", "| function (self) | % |", "|---|---|"]
    lines += [f"| `{name}` | {100 * c / total:.1f} |" for name, c in own.most_common(top)]
    return "\n".join(lines) + "\n"
