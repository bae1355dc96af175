"""Dynamic access control decided from the dated parameter ``security.access_policy``.

Sources:
- 総務省「地方公共団体における情報セキュリティポリシーに関するガイドライン」（令和6年10月版）:
  マイナンバー利用事務系 is separated and reached only from permitted terminals; least privilege by
  業務・所属・役割; privileged IDs kept apart; stronger management of 委託事業者 (contractors)
  (shared/specs/cross-cutting.md §0 item 4, §1.2, §1.4「Access control」「Contractor management」).
- 政府統一基準群（令和5年度版）「動的なアクセス制御」: authorisation decided per access from the subject,
  the terminal/network, the context (time) and the sensitivity of the resource (cross-cutting.md §1.4).
- 番号法第9条・第19条: 個人番号 only for 個人番号利用事務 — revealing it needs a declared purpose.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from yakuba.params import ParameterError, load
from yakuba.params.loader import DATA_DIR
from yakuba.security.policy import (
    JST,
    POLICY_KEY,
    AccessRequest,
    Decision,
    Policy,
    evaluate,
    load_policy,
    policy_from_mapping,
)

ON = dt.date(2026, 11, 26)  # a Thursday
THU_10 = dt.datetime(2026, 11, 26, 10, 0, tzinfo=JST)
THU_2210 = dt.datetime(2026, 11, 26, 22, 10, tzinfo=JST)
KINRO_KANSHA = dt.date(2026, 11, 23)  # 勤労感謝の日 (a Monday)
MON_HOLIDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=JST)
SAT_10 = dt.datetime(2026, 11, 28, 10, 0, tzinfo=JST)


@pytest.fixture(scope="module")
def shipped_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Only the shipped access-policy and classification files, so other parameter files cannot interfere."""
    folder = tmp_path_factory.mktemp("params")
    for name in ("access_policy.yaml", "classification.yaml", "security.yaml"):
        shutil.copy(DATA_DIR / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def policy(shipped_dir: Path) -> Policy:
    return load_policy(ON, load([shipped_dir]))


@pytest.fixture(scope="module")
def raw_policy(shipped_dir: Path) -> dict[str, Any]:
    shipped = load([shipped_dir])
    value: dict[str, Any] = dict(shipped.get(POLICY_KEY, on=ON))
    # The role labels come from security.roles, as load_policy merges them.
    value["roles"] = {role: spec["label"] for role, spec in shipped.get("security.roles", on=ON).items()}
    return value


def _req(
    permission: str = "juki.read",
    *,
    roles: tuple[str, ...] = ("juki_clerk",),
    at: dt.datetime = THU_10,
    ip: str = "127.0.0.1",
    purpose: str | None = None,
    sensitivity: str | None = "3B",
    contractor: bool = False,
    privileged: bool = False,
) -> AccessRequest:
    return AccessRequest(
        login="tanaka",
        roles=roles,
        permission=permission,
        client_ip=ip,
        at=at,
        purpose=purpose,
        sensitivity=sensitivity,
        is_contractor=contractor,
        is_privileged_account=privileged,
    )


def _holiday(day: dt.date) -> bool:
    return day == KINRO_KANSHA


# (case id, request, allowed, deciding rule, fragments the reason must contain)
CASES: list[tuple[str, AccessRequest, bool, str | None, tuple[str, ...]]] = [
    ("clerk-weekday-10:00-loopback", _req(), True, "office-hours", ("許可", "network-zone", "office-hours")),
    ("clerk-by-japanese-label", _req(roles=("住民記録担当",)), True, "office-hours", ("許可",)),
    ("clerk-ipv6-loopback", _req(ip="::1"), True, "office-hours", ("許可",)),
    ("clerk-ipv4-mapped-loopback", _req(ip="::ffff:127.0.0.1"), True, "office-hours", ("許可",)),
    (
        "clerk-22:10",
        _req(at=THU_2210),
        False,
        "office-hours",
        ("拒否", "office-hours", "業務時間外（22:10）", "システム管理者 以外", "08:00〜20:00"),
    ),
    (
        "clerk-22:10-given-in-utc",
        _req(at=THU_2210.astimezone(dt.UTC)),
        False,
        "office-hours",
        ("業務時間外（22:10）",),
    ),
    (
        "clerk-07:59",
        _req(at=THU_10.replace(hour=7, minute=59)),
        False,
        "office-hours",
        ("業務時間外（07:59）",),
    ),
    ("clerk-08:00", _req(at=THU_10.replace(hour=8, minute=0)), True, "office-hours", ()),
    ("clerk-19:59", _req(at=THU_10.replace(hour=19, minute=59)), True, "office-hours", ()),
    ("clerk-20:00-end-is-exclusive", _req(at=THU_10.replace(hour=20)), False, "office-hours", ("（20:00）",)),
    ("clerk-saturday", _req(at=SAT_10), False, "office-hours", ("業務日以外", "2026-11-28", "土曜日")),
    ("sysadmin-22:10", _req(roles=("sysadmin",), at=THU_2210), True, "network-zone", ("許可",)),
    ("sysadmin-saturday", _req(roles=("システム管理者",), at=SAT_10), True, "network-zone", ()),
    (
        "mynumber-without-purpose",
        _req("juki.mynumber.read", sensitivity="3A"),
        False,
        "mynumber-purpose",
        ("拒否", "mynumber-purpose", "juki.mynumber.read", "業務目的", "申告なし"),
    ),
    (
        "mynumber-blank-purpose",
        _req("juki.mynumber.read", sensitivity="3A", purpose="  "),
        False,
        "mynumber-purpose",
        ("申告なし",),
    ),
    (
        "mynumber-with-purpose",
        _req("juki.mynumber.read", sensitivity="3A", purpose="転入届に伴う個人番号の確認"),
        True,
        "mynumber-purpose",
        ("許可", "mynumber-purpose"),
    ),
    (
        "shien-without-purpose",
        _req("juki.shien.manage", sensitivity="3A"),
        False,
        "shien-purpose",
        ("業務目的",),
    ),
    (
        "shien-with-purpose",
        _req("juki.shien.manage", sensitivity="3A", purpose="支援措置申出の受付"),
        True,
        "shien-purpose",
        (),
    ),
    ("bulk-export-without-purpose", _req("juki.export"), False, "bulk-export-purpose", ("業務目的",)),
    ("bulk-export-with-purpose", _req("juki.export.csv", purpose="安否確認用の抽出"), True, None, ()),
    (
        "contractor-on-3A",
        _req(roles=("contractor",), contractor=True, sensitivity="3A"),
        False,
        "contractor-sensitivity",
        ("委託事業者", "3Bまで", "機密性3A"),
    ),
    (
        "contractor-flag-only-on-3A",
        _req(roles=(), contractor=True, sensitivity="機密性3A"),
        False,
        "contractor-sensitivity",
        ("機密性3A",),
    ),
    (
        "contractor-without-sensitivity",
        _req(roles=("contractor",), contractor=True, sensitivity=None),
        False,
        "contractor-sensitivity",
        ("機密性の指定が必要",),
    ),
    (
        "contractor-unknown-sensitivity",
        _req(roles=("contractor",), contractor=True, sensitivity="3Z"),
        False,
        "contractor-sensitivity",
        ("'3Z'",),
    ),
    ("contractor-on-3B", _req(roles=("contractor",), contractor=True, sensitivity="3B"), True, None, ()),
    (
        "contractor-on-admin-users",
        _req("admin.users", roles=("contractor",), contractor=True),
        False,
        "contractor-no-admin",
        ("委託事業者", "tanaka", "admin.users"),
    ),
    (
        "sysadmin-admin-users-loopback",
        _req("admin.users", roles=("sysadmin",), privileged=True),
        True,
        None,
        (),
    ),
    (
        "outside-every-zone",
        _req(ip="203.0.113.5"),
        False,
        "network-zone",
        ("接続元 203.0.113.5", "窓口端末・庁内端末・管理端末"),
    ),
    ("unparseable-address", _req(ip="not-an-ip"), False, "network-zone", ("'not-an-ip'", "解釈できません")),
    (
        "sysadmin-outside-zone-at-night",
        _req(roles=("sysadmin",), at=THU_2210, ip="198.51.100.7"),
        False,
        None,
        (),
    ),
    (
        "holiday-clerk",
        _req(at=MON_HOLIDAY_10),
        False,
        "office-hours",
        ("休日（2026-11-23", "システム管理者 以外"),
    ),
    ("holiday-sysadmin", _req(roles=("sysadmin",), at=MON_HOLIDAY_10), True, None, ()),
]


@pytest.mark.parametrize(
    ("request_", "allowed", "rule", "fragments"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_policy_decisions(
    policy: Policy, request_: AccessRequest, allowed: bool, rule: str | None, fragments: tuple[str, ...]
) -> None:
    decision = evaluate(request_, policy, is_holiday=_holiday)
    assert decision.allowed is allowed, decision.reason
    assert decision.reason.startswith("許可" if allowed else "拒否"), decision.reason
    if rule is not None:
        assert decision.rule == rule, decision
        assert rule in decision.reason
    for fragment in fragments:
        assert fragment in decision.reason, (fragment, decision.reason)


def test_every_decision_names_its_rule(policy: Policy) -> None:
    # Explainability: the reason names the deciding rule and the audit trail gets every rule checked.
    for _, request_, *_ in CASES:
        decision = evaluate(request_, policy, is_holiday=_holiday)
        assert decision.rule is not None
        assert decision.rule in decision.reason
        assert decision.checked and decision.checked[-1] == decision.rule


def test_holiday_is_only_excluded_when_a_checker_is_supplied(policy: Policy) -> None:
    assert evaluate(_req(at=MON_HOLIDAY_10), policy).allowed
    assert not evaluate(_req(at=MON_HOLIDAY_10), policy, is_holiday=_holiday).allowed
    assert evaluate(_req(at=THU_10), policy, is_holiday=_holiday).allowed


def test_holiday_checker_is_asked_about_the_tokyo_date(policy: Policy) -> None:
    asked: list[dt.date] = []

    def checker(day: dt.date) -> bool:
        asked.append(day)
        return False

    # 2026-11-25 23:30 UTC is Thursday 2026-11-26 08:30 in Tokyo.
    at = dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC)
    assert evaluate(_req(at=at), policy, is_holiday=checker).allowed
    assert asked == [dt.date(2026, 11, 26)]


def test_privileged_operations_only_from_the_admin_zone(raw_policy: dict[str, Any]) -> None:
    # A municipality narrows the zones: counter terminals on 10.1.20.0/24, admin terminals on 10.1.99.0/28.
    raw = copy.deepcopy(raw_policy)
    raw["network_zones"]["counter"]["cidrs"] = ["10.1.20.0/24"]
    raw["network_zones"]["office"]["cidrs"] = ["10.1.30.0/24"]
    raw["network_zones"]["admin"]["cidrs"] = ["127.0.0.0/8", "::1/128", "10.1.99.0/28"]
    narrowed = policy_from_mapping(raw)
    assert evaluate(_req("juki.read", ip="10.1.20.15"), narrowed).allowed
    denied = evaluate(_req("admin.users", roles=("sysadmin",), privileged=True, ip="10.1.20.15"), narrowed)
    assert not denied.allowed
    assert denied.rule == "admin-zone"
    assert "接続元 10.1.20.15" in denied.reason and "管理端末" in denied.reason
    assert evaluate(
        _req("admin.users", roles=("sysadmin",), privileged=True, ip="10.1.99.3"), narrowed
    ).allowed
    assert not evaluate(_req("juki.read", ip="192.168.1.10"), narrowed).allowed


def test_require_privileged_account_constraint(raw_policy: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_policy)
    raw["rules"].append(
        {
            "id": "privileged-account",
            "description": "特権操作は特権アカウントだけ",
            "permissions": ["admin.*"],
            "require_privileged_account": True,
        }
    )
    strict = policy_from_mapping(raw)
    decision = evaluate(_req("admin.users", roles=("sysadmin",), privileged=False), strict)
    assert not decision.allowed and decision.rule == "privileged-account"
    assert evaluate(_req("admin.users", roles=("sysadmin",), privileged=True), strict).allowed


def test_no_applicable_rule_means_deny(raw_policy: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_policy)
    raw["rules"] = [r for r in raw["rules"] if r["id"] == "mynumber-purpose"]
    only_mynumber = policy_from_mapping(raw)
    decision = evaluate(_req("juki.read"), only_mynumber)
    assert decision == Decision(
        False, "拒否: 権限 juki.read に適用される規則がありません（既定は拒否）", None, ()
    )


def test_naive_datetime_is_a_programming_error(policy: Policy) -> None:
    with pytest.raises(ValueError, match="タイムゾーン"):
        evaluate(_req(at=dt.datetime(2026, 11, 26, 10, 0)), policy)


def test_default_zones_include_loopback_for_the_demo(policy: Policy) -> None:
    for name in ("counter", "office", "admin"):
        cidrs = {str(n) for n in policy.zones[name].networks}
        assert {"127.0.0.0/8", "::1/128"} <= cidrs, name
    assert policy.role_label("sysadmin") == "システム管理者"
    assert policy.role_label("contractor") == "委託事業者"


def test_shipped_parameters_resolve_through_the_default_loader() -> None:
    assert evaluate(_req(), load_policy(ON)).allowed


# ------------------------------------------------------------------------------------- malformed data


def _mutate(raw: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    node: Any = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


def _office_hours_index(raw: dict[str, Any]) -> int:
    return next(i for i, r in enumerate(raw["rules"]) if r["id"] == "office-hours")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["colour"], "red", r"security\.access_policy: 不明な項目 \['colour'\]"),
        (
            ["network_zones", "counter", "cidrs"],
            ["10.0.0.0/33"],
            r"network_zones\.counter\.cidrs\[0\]: '10\.0\.0\.0/33'",
        ),
        (["network_zones", "office", "cidrs"], ["10.1.20.5/24"], r"network_zones\.office\.cidrs\[0\].*CIDR"),
        (["network_zones", "admin", "cidrs"], [], r"network_zones\.admin\.cidrs: 1件以上"),
        (["network_zones", "admin", "vlan"], 12, r"network_zones\.admin: 不明な項目 \['vlan'\]"),
        (
            ["rules", "OH", "time_window", "start"],
            "25:00",
            r"rules\[4\]\(office-hours\)\.time_window\.start: '25:00'",
        ),
        (["rules", "OH", "time_window", "end"], 1200, r"time_window\.end: 1200 は時刻ではありません.*引用符"),
        (["rules", "OH", "time_window", "end"], "07:00", r"time_window: start 08:00 は end 07:00 より前"),
        (["rules", "OH", "time_window", "days"], ["mon", "funday"], r"time_window\.days: 'funday'"),
        (["rules", "OH", "time_window", "lunch"], "12:00", r"time_window: 不明な項目 \['lunch'\]"),
        (
            ["rules", "OH", "except_roles"],
            ["mayor"],
            r"rules\[4\]\(office-hours\)\.except_roles: ロール 'mayor'",
        ),
        (["rules", "OH", "zones"], ["garage"], r"office-hours\)\.zones: 区分 'garage'"),
        (
            ["rules", "OH", "require_purpose"],
            "yes",
            r"office-hours\)\.require_purpose: 'yes' は true / false",
        ),
        (
            ["rules", "OH", "max_sensitivity"],
            {"contractor": "4"},
            r"max_sensitivity\.contractor: '4' は機密性",
        ),
        (
            ["rules", "OH", "deny_everyone"],
            True,
            r"rules\[4\]\(office-hours\): 不明な項目 \['deny_everyone'\]",
        ),
        (["rules", "OH", "id"], "network-zone", r"rules\[4\]\.id: 規則id 'network-zone' が重複"),
        (["contractor_role"], "vendor", r"contractor_role: 'vendor' は roles に定義されていません"),
        (["roles", "Bad-Id"], "誰か", r"roles\.Bad-Id: ロールid"),
    ],
)
def test_malformed_policy_is_rejected_naming_the_key(
    raw_policy: dict[str, Any], path: list[Any], value: Any, message: str
) -> None:
    path = [_office_hours_index(raw_policy) if step == "OH" else step for step in path]
    with pytest.raises(ParameterError, match=message):
        policy_from_mapping(_mutate(raw_policy, path, value))


def test_rule_without_constraints_is_rejected(raw_policy: dict[str, Any]) -> None:
    raw = copy.deepcopy(raw_policy)
    raw["rules"].append({"id": "noop", "description": "何もしない", "permissions": ["*"]})
    with pytest.raises(ParameterError, match=r"rules\[\d+\]\(noop\): 制約が1つもありません"):
        policy_from_mapping(raw)


def test_malformed_overlay_file_is_rejected_on_load(shipped_dir: Path, tmp_path: Path) -> None:
    # The same validation runs when a municipality's overlay file replaces the shipped value.
    document = yaml.safe_load((shipped_dir / "access_policy.yaml").read_text(encoding="utf-8"))
    value = document["security"]["access_policy"]["values"][0]["value"]
    value["network_zones"]["counter"]["cidrs"] = ["10.1.20.0/24", "10.1.300.0/24"]
    (tmp_path / "access_policy.yaml").write_text(
        yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
    )
    overlay = load([shipped_dir, tmp_path])
    with pytest.raises(ParameterError, match=r"security\.access_policy\.network_zones\.counter\.cidrs\[1\]"):
        load_policy(ON, overlay)
