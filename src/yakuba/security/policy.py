"""Dynamic access control (動的なアクセス制御): every request is decided from data, not code branches.

The 総務省 guideline（令和6年10月版）and the 政府統一基準群（令和5年度版）expect authorisation to be
decided *per access* from the subject's roles, the terminal/network it comes from, the time, the declared
purpose and the sensitivity of the data touched (``cross-cutting.md`` §0 item 4, §1.2, §1.4). The rules
are the dated parameter ``security.access_policy`` (``params/data/access_policy.yaml``); a municipality
changes them in its overlay folder.

Evaluation (:func:`evaluate`): rules are taken in order. A rule whose ``permissions`` globs do not match
the permission, or whose ``roles`` / ``except_roles`` exclude every role of the caller, is skipped. For
an applicable rule the constraints are checked in the fixed order zones → deny_contractor →
require_privileged_account → max_sensitivity → time_window → require_purpose; the first one that fails
denies, and the reason names the rule, the condition and the actual value. When every applicable rule
passes, the request is allowed. When no rule applies at all the request is denied (default deny).

This module is the *dynamic* layer; which role holds which permission at all (static RBAC) is decided
elsewhere, and both must allow.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from yakuba.params import ParameterError, ParameterSet, default_parameters
from yakuba.security.classification import confidentiality_rank, normalize_confidentiality

__all__ = [
    "JST",
    "POLICY_KEY",
    "AccessRequest",
    "Decision",
    "NetworkZone",
    "Policy",
    "Rule",
    "TimeWindow",
    "evaluate",
    "load_policy",
    "policy_from_mapping",
]

POLICY_KEY = "security.access_policy"

#: Asia/Tokyo. Japan has had no daylight saving time since 1951, so a fixed UTC+9 offset is exact and
#: needs no tz database on the server.
from yakuba.kernel.clock import JST  # noqa: E402 - one definition of Japan time

_IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_JA = ("月", "火", "水", "木", "金", "土", "日")
_TOP_KEYS = {"roles", "contractor_role", "network_zones", "rules"}
_ZONE_KEYS = {"label", "cidrs"}
_RULE_KEYS = {
    "id",
    "description",
    "permissions",
    "roles",
    "except_roles",
    "zones",
    "time_window",
    "require_purpose",
    "max_sensitivity",
    "deny_contractor",
    "require_privileged_account",
}
_CONSTRAINT_KEYS = _RULE_KEYS - {"id", "description", "permissions", "roles", "except_roles"}
_WINDOW_KEYS = {"days", "start", "end", "exclude_holidays"}
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class AccessRequest:
    """One attempted operation, as the web/API/CLI boundary sees it."""

    login: str
    roles: tuple[str, ...]  # internal ids (``juki_clerk``) or the Japanese labels (住民記録担当)
    permission: str  # e.g. "juki.read", "juki.mynumber.read", "admin.users"
    client_ip: str
    at: dt.datetime  # must be timezone-aware
    purpose: str | None = None  # 業務目的 declared by the caller
    sensitivity: str | None = None  # 自治体機密性 of the data touched, e.g. "3A"
    is_contractor: bool = False
    is_privileged_account: bool = False


@dataclass(frozen=True)
class Decision:
    """The outcome; ``reason`` is the Japanese text stored in the audit log."""

    allowed: bool
    reason: str
    rule: str | None  # the deciding rule (the failed one, or the last one checked when allowed)
    checked: tuple[str, ...] = ()  # ids of every applicable rule evaluated, in order


@dataclass(frozen=True)
class NetworkZone:
    name: str
    label: str
    networks: tuple[_IPNetwork, ...]

    def contains(self, address: _IPAddress) -> bool:
        return any(address.version == net.version and address in net for net in self.networks)


@dataclass(frozen=True)
class TimeWindow:
    days: frozenset[int]  # 0 = Monday … 6 = Sunday
    start: dt.time
    end: dt.time  # exclusive
    exclude_holidays: bool = True

    def describe(self) -> str:
        return f"{_describe_days(self.days)} {self.start:%H:%M}〜{self.end:%H:%M}"


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    permissions: tuple[str, ...]
    roles: tuple[str, ...] = ("*",)
    except_roles: tuple[str, ...] = ()
    zones: tuple[str, ...] | None = None
    time_window: TimeWindow | None = None
    require_purpose: bool = False
    max_sensitivity: tuple[tuple[str, str], ...] = ()  # (role id, class)
    deny_contractor: bool = False
    require_privileged_account: bool = False

    def applies_to(self, permission: str, role_ids: frozenset[str]) -> bool:
        if not any(fnmatch.fnmatchcase(permission, pattern) for pattern in self.permissions):
            return False
        if "*" not in self.roles and not role_ids.intersection(self.roles):
            return False
        return not role_ids.intersection(self.except_roles)


@dataclass(frozen=True)
class Policy:
    roles: Mapping[str, str]  # id → Japanese label
    contractor_role: str
    zones: Mapping[str, NetworkZone]
    rules: tuple[Rule, ...]
    _by_label: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    def role_label(self, role_id: str) -> str:
        return self.roles.get(role_id, role_id)

    def role_ids(self, request: AccessRequest) -> frozenset[str]:
        """The caller's roles as internal ids (a Japanese label is translated); contractors get their role."""
        ids = {self._by_label.get(role, role) for role in request.roles}
        if request.is_contractor:
            ids.add(self.contractor_role)
        return frozenset(ids)

    def is_contractor(self, request: AccessRequest) -> bool:
        return self.contractor_role in self.role_ids(request)


# ---------------------------------------------------------------------------------------------- evaluation


def _deny(rule: Rule | None, message: str, checked: Sequence[str]) -> Decision:
    prefix = f"拒否（規則 {rule.id}）: " if rule is not None else "拒否: "
    return Decision(False, prefix + message, rule.id if rule else None, tuple(checked))


def evaluate(
    request: AccessRequest, policy: Policy, is_holiday: Callable[[dt.date], bool] | None = None
) -> Decision:
    """Decide one request. ``is_holiday`` (e.g. the 休日 calendar) excludes holidays from time windows.

    A naive ``request.at`` is a programming error (ValueError); everything about the request itself
    (bad address, unknown class, missing purpose) yields a denial with its reason, never an exception.
    """
    if request.at.tzinfo is None or request.at.utcoffset() is None:
        raise ValueError("AccessRequest.at はタイムゾーン付きの日時でなければなりません")
    permission = request.permission.strip()
    if not permission:
        return _deny(None, "権限が指定されていません", ())
    role_ids = policy.role_ids(request)
    checked: list[str] = []
    last: Rule | None = None
    for rule in policy.rules:
        if not rule.applies_to(permission, role_ids):
            continue
        checked.append(rule.id)
        failure = _check(rule, request, policy, role_ids, is_holiday)
        if failure is not None:
            return _deny(rule, failure, checked)
        last = rule
    if last is None:
        return _deny(None, f"権限 {permission} に適用される規則がありません（既定は拒否）", checked)
    return Decision(True, f"許可: 規則 {'・'.join(checked)} を満たす", last.id, tuple(checked))


def _check(
    rule: Rule,
    request: AccessRequest,
    policy: Policy,
    role_ids: frozenset[str],
    is_holiday: Callable[[dt.date], bool] | None,
) -> str | None:
    if rule.zones is not None:
        failure = _check_zones(rule.zones, request.client_ip, policy)
        if failure:
            return failure
    if rule.deny_contractor and policy.contractor_role in role_ids:
        label = policy.role_label(policy.contractor_role)
        return f"{label}（{request.login}）には権限 {request.permission} を許可できません"
    if rule.require_privileged_account and not request.is_privileged_account:
        return f"権限 {request.permission} は特権アカウント専用です（{request.login} は通常アカウント）"
    if rule.max_sensitivity:
        failure = _check_sensitivity(rule, request, policy, role_ids)
        if failure:
            return failure
    if rule.time_window is not None:
        failure = _check_time(rule.time_window, rule, request.at, policy, is_holiday)
        if failure:
            return failure
    if rule.require_purpose and not (request.purpose and request.purpose.strip()):
        return f"権限 {request.permission} には業務目的の申告が必要です（申告なし）"
    return None


def _parse_address(raw: str) -> _IPAddress | None:
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.scope_id is not None:
            return ipaddress.IPv6Address(str(address).split("%", 1)[0])
    return address


def _check_zones(zones: tuple[str, ...], client_ip: str, policy: Policy) -> str | None:
    labels = "・".join(policy.zones[name].label for name in zones)
    address = _parse_address(client_ip)
    if address is None:
        return f"接続元アドレス {client_ip!r} を解釈できません（許可される区分: {labels}）"
    if any(policy.zones[name].contains(address) for name in zones):
        return None
    return f"接続元 {address} は許可されたネットワーク区分（{labels}）のいずれにも属しません"


def _check_sensitivity(
    rule: Rule, request: AccessRequest, policy: Policy, role_ids: frozenset[str]
) -> str | None:
    caps = [(role, cap) for role, cap in rule.max_sensitivity if role in role_ids]
    if not caps:
        return None
    role, cap = min(caps, key=lambda item: confidentiality_rank(item[1]))
    label = policy.role_label(role)
    if request.sensitivity is None:
        return f"{label} の操作には対象データの機密性の指定が必要です（指定なし。扱えるのは機密性{cap}まで）"
    try:
        actual = normalize_confidentiality(request.sensitivity)
    except ValueError:
        shown = request.sensitivity
        return f"対象データの機密性 {shown!r} を解釈できません（{label} が扱えるのは機密性{cap}まで）"
    if confidentiality_rank(actual) > confidentiality_rank(cap):
        return f"{label} が扱えるのは機密性{cap}までです（対象データは機密性{actual}）"
    return None


def _check_time(
    window: TimeWindow,
    rule: Rule,
    at: dt.datetime,
    policy: Policy,
    is_holiday: Callable[[dt.date], bool] | None,
) -> str | None:
    local = at.astimezone(JST)
    hhmm = f"{local:%H:%M}"
    day = local.date()
    exempt = "・".join(policy.role_label(r) for r in rule.except_roles)
    who = f" {exempt} 以外" if exempt else ""
    span = f"業務時間 {window.describe()}"
    if local.weekday() not in window.days:
        weekday = _WEEKDAY_JA[local.weekday()]
        return f"業務日以外（{day.isoformat()} {weekday}曜日 {hhmm}）の操作は{who}できません（{span}）"
    if window.exclude_holidays and is_holiday is not None and is_holiday(day):
        return f"休日（{day.isoformat()} {hhmm}）の操作は{who}できません（{span}）"
    if not (window.start <= local.time() < window.end):
        return f"業務時間外（{hhmm}）の操作は{who}できません（{span}）"
    return None


def _describe_days(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{_WEEKDAY_JA[ordered[0]]}〜{_WEEKDAY_JA[ordered[-1]]}"
    return "・".join(_WEEKDAY_JA[d] for d in ordered)


# ---------------------------------------------------------------------------------------------- loading


def _fail(where: str, message: str) -> ParameterError:
    return ParameterError(f"{where}: {message}")


def _check_keys(node: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(node, Mapping):
        raise _fail(where, "対応表（mapping）でなければなりません")
    unknown = set(node) - allowed
    if unknown:
        raise _fail(
            where, f"不明な項目 {sorted(map(str, unknown))}（使える項目: {', '.join(sorted(allowed))}）"
        )
    return node


def _str_list(raw: Any, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise _fail(where, "文字列のリストでなければなりません")
    if not raw and not allow_empty:
        raise _fail(where, "1件以上必要です")
    return tuple(x.strip() for x in raw)


def _flag(raw: Any, where: str) -> bool:
    if not isinstance(raw, bool):
        raise _fail(where, f"{raw!r} は true / false でなければなりません")
    return raw


def _time(raw: Any, where: str) -> dt.time:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raise _fail(
            where,
            f'{raw!r} は時刻ではありません。時刻は "HH:MM" と引用符で囲んで書きます'
            "（YAML は 20:00 を引用符なしだと60進数の 1200 と読みます）",
        )
    match = _TIME_RE.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise _fail(where, f"{raw!r} は時刻（HH:MM、00:00〜23:59）ではありません")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _parse_roles(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, Mapping) or not raw:
        raise _fail(where, "ロールid → 表示名 の対応表が必要です")
    roles: dict[str, str] = {}
    for role_id, label in raw.items():
        if not isinstance(role_id, str) or not _ID_RE.match(role_id):
            raise _fail(f"{where}.{role_id}", "ロールid は英小文字・数字・_ でなければなりません")
        if not isinstance(label, str) or not label.strip():
            raise _fail(f"{where}.{role_id}", "表示名（文字列）が必要です")
        roles[role_id] = label.strip()
    if len(set(roles.values())) != len(roles):
        raise _fail(where, "表示名が重複しています")
    return roles


def _parse_zones(raw: Any, where: str) -> dict[str, NetworkZone]:
    if not isinstance(raw, Mapping) or not raw:
        raise _fail(where, "区分名 → {label, cidrs} の対応表が必要です")
    zones: dict[str, NetworkZone] = {}
    for name, node in raw.items():
        zwhere = f"{where}.{name}"
        if not isinstance(name, str) or not _ID_RE.match(name):
            raise _fail(zwhere, "区分名は英小文字・数字・_ でなければなりません")
        node = _check_keys(node, _ZONE_KEYS, zwhere)
        label = node.get("label")
        if not isinstance(label, str) or not label.strip():
            raise _fail(f"{zwhere}.label", "表示名（文字列）が必要です")
        cidrs = _str_list(node.get("cidrs"), f"{zwhere}.cidrs")
        networks: list[_IPNetwork] = []
        for i, cidr in enumerate(cidrs):
            try:
                networks.append(ipaddress.ip_network(cidr, strict=True))
            except ValueError as exc:
                raise _fail(
                    f"{zwhere}.cidrs[{i}]", f"{cidr!r} は CIDR（例 10.1.20.0/24）ではありません: {exc}"
                ) from None
        zones[name] = NetworkZone(name=name, label=label.strip(), networks=tuple(networks))
    return zones


def _parse_window(raw: Any, where: str) -> TimeWindow:
    node = _check_keys(raw, _WINDOW_KEYS, where)
    if "start" not in node or "end" not in node:
        raise _fail(where, "start と end が必要です")
    days_raw = _str_list(node.get("days", list(_WEEKDAYS[:5])), f"{where}.days")
    days: set[int] = set()
    for day in days_raw:
        if day.lower() not in _WEEKDAYS:
            raise _fail(f"{where}.days", f"{day!r} は曜日（{', '.join(_WEEKDAYS)}）ではありません")
        days.add(_WEEKDAYS.index(day.lower()))
    start = _time(node["start"], f"{where}.start")
    end = _time(node["end"], f"{where}.end")
    if start >= end:
        raise _fail(
            where,
            f"start {start:%H:%M} は end {end:%H:%M} より前でなければなりません（日をまたぐ指定は不可）",
        )
    return TimeWindow(
        days=frozenset(days),
        start=start,
        end=end,
        exclude_holidays=_flag(node.get("exclude_holidays", True), f"{where}.exclude_holidays"),
    )


def _role_refs(raw: Any, where: str, roles: Mapping[str, str], *, allow_star: bool) -> tuple[str, ...]:
    refs = _str_list(raw, where)
    for ref in refs:
        if ref == "*" and allow_star:
            continue
        if ref not in roles:
            raise _fail(
                where, f"ロール {ref!r} は roles に定義されていません（定義済み: {', '.join(roles)}）"
            )
    return refs


def _parse_rule(raw: Any, where: str, roles: Mapping[str, str], zones: Mapping[str, NetworkZone]) -> Rule:
    if not isinstance(raw, Mapping):
        raise _fail(where, "規則は対応表（mapping）でなければなりません")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID_RE.match(rule_id):
        raise _fail(f"{where}.id", f"{rule_id!r} は規則id（英数字・-・_）ではありません")
    where = f"{where}({rule_id})"
    node = _check_keys(raw, _RULE_KEYS, where)
    description = node.get("description")
    if not isinstance(description, str) or not description.strip():
        raise _fail(f"{where}.description", "説明（文字列）が必要です")
    if not set(node) & _CONSTRAINT_KEYS:
        raise _fail(where, f"制約が1つもありません（{', '.join(sorted(_CONSTRAINT_KEYS))} のいずれかが必要）")
    zone_names: tuple[str, ...] | None = None
    if "zones" in node:
        zone_names = _str_list(node["zones"], f"{where}.zones")
        for name in zone_names:
            if name not in zones:
                raise _fail(f"{where}.zones", f"区分 {name!r} は network_zones に定義されていません")
    caps: list[tuple[str, str]] = []
    if "max_sensitivity" in node:
        raw_caps = node["max_sensitivity"]
        if not isinstance(raw_caps, Mapping) or not raw_caps:
            raise _fail(f"{where}.max_sensitivity", "ロールid → 機密性区分 の対応表が必要です")
        for role, cap in raw_caps.items():
            if role not in roles:
                raise _fail(f"{where}.max_sensitivity", f"ロール {role!r} は roles に定義されていません")
            try:
                caps.append((role, normalize_confidentiality(cap)))
            except ValueError as exc:
                raise _fail(f"{where}.max_sensitivity.{role}", str(exc)) from None
    return Rule(
        id=rule_id,
        description=description.strip(),
        permissions=_str_list(node.get("permissions"), f"{where}.permissions"),
        roles=_role_refs(node.get("roles", ["*"]), f"{where}.roles", roles, allow_star=True),
        except_roles=_role_refs(node["except_roles"], f"{where}.except_roles", roles, allow_star=False)
        if "except_roles" in node
        else (),
        zones=zone_names,
        time_window=_parse_window(node["time_window"], f"{where}.time_window")
        if "time_window" in node
        else None,
        require_purpose=_flag(node.get("require_purpose", False), f"{where}.require_purpose"),
        max_sensitivity=tuple(caps),
        deny_contractor=_flag(node.get("deny_contractor", False), f"{where}.deny_contractor"),
        require_privileged_account=_flag(
            node.get("require_privileged_account", False), f"{where}.require_privileged_account"
        ),
    )


def policy_from_mapping(raw: Any, *, where: str = POLICY_KEY) -> Policy:
    """Validate the raw parameter value; every problem is a ParameterError naming the key."""
    node = _check_keys(raw, _TOP_KEYS, where)
    for required in ("roles", "contractor_role", "network_zones", "rules"):
        if required not in node:
            raise _fail(where, f"{required} がありません")
    roles = _parse_roles(node["roles"], f"{where}.roles")
    contractor_role = node["contractor_role"]
    if contractor_role not in roles:
        raise _fail(f"{where}.contractor_role", f"{contractor_role!r} は roles に定義されていません")
    zones = _parse_zones(node["network_zones"], f"{where}.network_zones")
    raw_rules = node["rules"]
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(f"{where}.rules", "規則のリスト（1件以上）が必要です")
    rules = [_parse_rule(item, f"{where}.rules[{i}]", roles, zones) for i, item in enumerate(raw_rules)]
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.id in seen:
            raise _fail(f"{where}.rules[{i}].id", f"規則id {rule.id!r} が重複しています")
        seen.add(rule.id)
    return Policy(
        roles=roles,
        contractor_role=str(contractor_role),
        zones=zones,
        rules=tuple(rules),
        _by_label={label: role_id for role_id, label in roles.items()},
    )


_CACHE: dict[int, tuple[object, Policy]] = {}


def load_policy(on: dt.date, parameters: ParameterSet | None = None) -> Policy:
    """The access policy in force on ``on`` (shipped defaults plus the municipal overlay), validated."""
    source = parameters or default_parameters()
    raw = source.get(POLICY_KEY, on=on)
    try:
        role_table = source.get("security.roles", on=on)
    except ParameterError:
        role_table = None
    cached = _CACHE.get(id(raw))
    if cached is not None and cached[0] == (raw, role_table):
        return cached[1]
    merged = raw
    if isinstance(raw, Mapping) and "roles" not in raw and isinstance(role_table, Mapping):
        # One role table for the whole system: the labels come from security.roles.
        merged = {**raw, "roles": {role: spec.get("label", role) for role, spec in role_table.items()}}
    policy = policy_from_mapping(merged)
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[id(raw)] = ((raw, role_table), policy)  # keep ``raw`` alive so its id is not reused
    return policy
