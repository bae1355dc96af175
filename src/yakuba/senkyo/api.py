"""選挙人名簿管理 API (``/api/v1/senkyo``): the roll, 登録 runs, the daily batch, 投票区, outputs, 閲覧, 在外.

Every route needs ``senkyo.read`` or ``senkyo.write`` (role 選挙管理委員会事務局 ``senkyo_staff``) and is
labelled with the 選挙人名簿 category (機密性3B・持出禁止・複製禁止); persons touched are audited.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from yakuba.errors import InputError, NotFound
from yakuba.kernel.clock import japan_date
from yakuba.kernel.wareki import parse_date
from yakuba.security.auth import RequestContext, require
from yakuba.senkyo import meibo, queries
from yakuba.senkyo.commands import batch, candidates, election, etsuran, shikaku, tohyoku, toroku, zaigai
from yakuba.senkyo.commands.hosei import hosei_toroku
from yakuba.senkyo.forms import etsuran as etsuran_form
from yakuba.senkyo.forms import shohon as shohon_form
from yakuba.validation import RowId, RowNumber

router = APIRouter(prefix="/api/v1/senkyo", tags=["選挙人名簿"])

ROLL = ("senkyo.roll",)


def _today(ctx: RequestContext) -> dt.date:
    return japan_date(ctx.yakuba.clock())


def _date(text: str | None, field: str, default: dt.date) -> dt.date:
    return parse_date(text, field=field) if text else default


def _municipality(ctx: RequestContext) -> zaigai.Municipality:
    settings = ctx.yakuba.settings
    return zaigai.Municipality(settings.municipality_code, settings.municipality_name)


def _issuer(ctx: RequestContext) -> str:
    return f"{ctx.yakuba.settings.municipality_name}選挙管理委員会"


def _file(content: bytes | str, media_type: str, filename: str) -> Response:
    quoted = urllib.parse.quote(filename)
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quoted}"},
    )


# -- the roll -----------------------------------------------------------------------------------------


@router.get("/meibo/{atena_no}", summary="選挙人名簿の照会（一人）")
def get_entry(atena_no: str, ctx: RequestContext = require("senkyo.read", categories=ROLL)) -> dict[str, Any]:
    """現在の登録内容（登録・表示・抹消）と、登録・表示・訂正・抹消の履歴。"""
    rows = meibo.history(ctx.uow.session, atena_no)
    if not rows:
        raise NotFound(f"宛名番号 {atena_no} は選挙人名簿に登録されたことがありません")
    ctx.touched(atena_no)
    ctx.audit.record_count = len(rows)
    ctx.commit()
    return {
        "atena_no": atena_no,
        "current": meibo.entry_view(rows[-1]),
        "history": [meibo.entry_view(r) for r in rows],
    }


@router.get("/meibo", summary="選挙人名簿（投票区・住所順）")
def list_entries(
    tohyoku_code: str | None = Query(None, description="投票区コード"),
    on: str | None = Query(None, description="基準日（省略時は今日）"),
    ctx: RequestContext = require("senkyo.read", categories=ROLL),
) -> dict[str, Any]:
    """指定日現在の名簿（表示者を含む）。"""
    day = _date(on, "基準日", _today(ctx))
    rows = queries.roll(ctx.uow.session, day, tohyoku_code=tohyoku_code)
    ctx.touched(*(r.atena_no for r in rows))
    ctx.audit.record_count = len(rows)
    ctx.commit()
    return {"on": day, "count": len(rows), "items": [meibo.entry_view(r) for r in rows]}


# -- 登録 --------------------------------------------------------------------------------------------


class TeijiRequest(BaseModel):
    year: int = Field(ge=2000, le=2100, description="年")
    month: int = Field(ge=1, le=12, description="登録月（3・6・9・12）")
    mode: str = Field(pattern="^(trial|real)$", description="trial 試行 / real 本処理")


class SenkyojiRequest(BaseModel):
    election_id: RowNumber
    mode: str = Field(pattern="^(trial|real)$", description="trial 試行 / real 本処理")


def _listed(lists: dict[str, Any]) -> tuple[list[str], int]:
    """The persons a run's stored lists name, and how many the full lists have (``toroku.stored_lists``)."""
    keys = ("shinki", "hyoji", "massho")
    people = [i["atena_no"] for key in keys for i in lists.get(key, [])]
    full = lists.get("truncated", {})
    return people, sum(full.get(key, len(lists.get(key, []))) for key in keys)


def _run_response(ctx: RequestContext, result: toroku.RunResult) -> dict[str, Any]:
    view = result.view()
    people, count = _listed(view["lists"])
    ctx.touched(*people)
    ctx.audit.record_count = count
    ctx.commit()
    return view


@router.get("/teiji/{year}/{month}", summary="定時登録の基準日・登録日")
def teiji_dates(
    year: int = Path(ge=2000, le=2100, description="年"),
    month: int = Path(ge=1, le=12, description="登録月（3・6・9・12）"),
    ctx: RequestContext = require("senkyo.read", categories=ROLL),
) -> dict[str, Any]:
    """基準日・登録日・年齢の判定日（休日・選挙期間の扱いを含む。公職選挙法第22条）。"""
    plan = election.plan_teiji(ctx.uow.session, year, month)
    ctx.commit()
    return {
        "kijun_date": plan.kijun_date,
        "toroku_date": plan.toroku_date,
        "age_date": plan.age_date,
        "note": plan.note,
    }


@router.post("/runs/teiji", summary="定時登録（試行・本処理）")
def run_teiji(
    body: TeijiRequest, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    """新規登録者・表示者・抹消者の一覧を作ります。本処理は基準日ごとに一度だけで、再実行しても何も変わりません。"""
    result = toroku.run_teiji(ctx.uow, year=body.year, month=body.month, mode=body.mode, today=_today(ctx))
    return _run_response(ctx, result)


@router.post("/runs/senkyoji", summary="選挙時登録（試行・本処理）")
def run_senkyoji(
    body: SenkyojiRequest, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    """選管が定めた基準日・登録日で登録します。年齢は選挙期日現在で判定します。"""
    result = toroku.run_senkyoji(ctx.uow, election_id=body.election_id, mode=body.mode, today=_today(ctx))
    return _run_response(ctx, result)


@router.get("/runs/{run_id}", summary="登録処理の結果と一覧")
def get_run(run_id: RowId, ctx: RequestContext = require("senkyo.read", categories=ROLL)) -> dict[str, Any]:
    view = toroku.run_view(ctx.uow.session, run_id)
    people, count = _listed(view["lists"])
    ctx.touched(*people)
    ctx.audit.record_count = count
    ctx.commit()
    return view


class HoseiRequest(BaseModel):
    atena_no: str = Field(min_length=1, max_length=15, description="宛名番号")


@router.post("/hosei", summary="補正登録")
def hosei(
    body: HoseiRequest, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    """直近の登録の基準日現在で資格がありながら登録されていない人を登録します（告示が必要です）。"""
    row = hosei_toroku(ctx.uow, atena_no=body.atena_no, today=_today(ctx))
    ctx.touched(body.atena_no)
    ctx.audit.record_count = 1
    view = meibo.entry_view(row)
    ctx.commit()
    return view


@router.get("/hosei/candidates", summary="補正登録の候補")
def hosei_candidates(ctx: RequestContext = require("senkyo.read", categories=ROLL)) -> dict[str, Any]:
    items = candidates.omissions(ctx.uow.session, today=_today(ctx))
    ctx.touched(*(i["atena_no"] for i in items))
    ctx.audit.record_count = len(items)
    ctx.commit()
    return {"count": len(items), "items": items}


class BatchRequest(BaseModel):
    on: dt.date | None = Field(default=None, description="処理日（省略時は今日。未来の日は不可）")
    dry_run: bool = Field(default=False, description="確認だけで書き込まない")


@router.post("/batch/daily", summary="日次処理（表示・抹消・投票区）")
def daily(
    body: BatchRequest, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    """転出後4箇月を経過した人の抹消、選挙権停止の表示、投票区の変更などを行います（何度実行しても同じ結果）。"""
    today = _today(ctx)
    day = body.on or today
    if day > today:
        raise InputError.single("処理日", "未来の日付では処理できません")
    result = batch.daily_batch(ctx.uow, today=day, dry_run=body.dry_run, municipality=_municipality(ctx))
    ctx.touched(*(a.atena_no for a in result.actions))
    ctx.audit.record_count = len(result.actions)
    ctx.commit()
    return {
        "on": day,
        "dry_run": body.dry_run,
        "actions": [a.__dict__ for a in result.actions],
        "zaigai": result.zaigai,
    }


# -- elections, 選挙権停止, 通知 ----------------------------------------------------------------------


@router.post("/elections", summary="選挙の登録（選挙時登録の基準日・登録日）")
def create_election(
    body: election.ElectionInput, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    row = election.define_election(ctx.uow, body)
    ctx.commit()
    return {
        "id": row.id,
        "name": row.name,
        "level": row.level,
        "kouji_date": row.kouji_date,
        "kijitsu": row.kijitsu,
        "kijun_date": row.kijun_date,
        "toroku_date": row.toroku_date,
    }


@router.post("/teishi", summary="選挙権停止の記録")
def create_teishi(
    body: shikaku.TeishiInput, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    row = shikaku.record_teishi(ctx.uow, body)
    ctx.touched(body.atena_no)
    ctx.commit()
    return {"id": row.id, "atena_no": row.atena_no, "start_date": row.start_date, "end_date": row.end_date}


class CancelRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="取消しの理由")


@router.post("/teishi/{teishi_id}/cancel", summary="選挙権停止の記録の取消し")
def cancel_teishi(
    teishi_id: RowId, body: CancelRequest, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    row = shikaku.cancel_teishi(ctx.uow, teishi_id, reason=body.reason)
    ctx.touched(row.atena_no)
    ctx.commit()
    return {"id": row.id, "cancels_id": row.cancels_id}


@router.post("/tsuho", summary="他市町村の選挙人名簿に登録された旨の通知")
def create_tsuho(
    body: shikaku.TsuhoInput, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    row = shikaku.record_other_roll(ctx.uow, body)
    ctx.touched(body.atena_no)
    ctx.commit()
    return {"id": row.id, "atena_no": row.atena_no}


# -- 投票区 ------------------------------------------------------------------------------------------


@router.post("/tohyoku/masters", summary="投票区マスタの設定（区割りの変更）")
def create_master(
    body: tohyoku.MasterInput, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    """新しい区割りを登録します。効力発生日が今日以前なら、登録されている人の投票区を一括で変更します。"""
    today = _today(ctx)
    master = tohyoku.define_master(ctx.uow, body)
    changed = (
        tohyoku.reassign_all(ctx.uow, on=body.effective_from, shori_date=today)
        if body.effective_from <= today
        else []
    )
    ctx.touched(*(r.atena_no for r in changed))
    ctx.audit.record_count = len(changed)
    ctx.commit()
    return {"master_id": master.id, "effective_from": master.effective_from, "reassigned": len(changed)}


@router.get("/tohyoku", summary="投票区の一覧")
def list_tohyoku(
    on: str | None = Query(None, description="基準日"),
    ctx: RequestContext = require("senkyo.read", categories=ROLL),
) -> dict[str, Any]:
    day = _date(on, "基準日", _today(ctx))
    found = tohyoku.districts(ctx.uow.session, day)
    ctx.commit()
    return {"on": day, "items": [d.__dict__ for d in found.values()]}


# -- outputs -----------------------------------------------------------------------------------------


@router.get("/counts", summary="登録者数（投票区・男女別）")
def counts(
    on: str | None = Query(None, description="基準日（省略時は今日）"),
    ctx: RequestContext = require("senkyo.read", categories=ROLL),
) -> dict[str, Any]:
    day = _date(on, "基準日", _today(ctx))
    result = queries.counts(ctx.uow.session, day)
    ctx.audit.record_count = result["totals"]["total"]
    ctx.commit()
    return result


@router.get("/shohon/{tohyoku_code}", summary="選挙人名簿抄本（PDF）")
def shohon_pdf(
    tohyoku_code: str,
    on: str | None = Query(None, description="基準日（省略時は今日）"),
    ctx: RequestContext = require("senkyo.read", categories=ROLL),
) -> Response:
    """投票区ごとの抄本（住所順、表示を含む）。"""
    from yakuba import params

    day = _date(on, "基準日", _today(ctx))
    lines = queries.shohon(ctx.uow.session, tohyoku_code, day)
    district = tohyoku.districts(ctx.uow.session, day).get(tohyoku_code)
    pdf = shohon_form.render(
        lines,
        tohyoku_code=tohyoku_code,
        tohyoku_name=district.name if district else tohyoku_code,
        on=day,
        issuer=_issuer(ctx),
        rows_per_page=int(params.get("municipal.senkyo.shohon_rows_per_page", on=day)),
    )
    ctx.touched(*(line["atena_no"] for line in lines))
    ctx.audit.record_count = len(lines)
    ctx.commit()
    return _file(pdf, "application/pdf", f"選挙人名簿抄本_{tohyoku_code}_{day.isoformat()}.pdf")


@router.get("/elections/{election_id}/nyujoken", summary="投票所入場券データ（CSV）")
def nyujoken_csv(
    election_id: RowId,
    unit: str = Query("kojin", pattern="^(kojin|setai)$", description="kojin 個人ごと / setai 世帯ごと"),
    ctx: RequestContext = require("senkyo.read", categories=ROLL),
) -> Response:
    lines = queries.nyujoken(ctx.uow.session, election_id, unit=unit)
    ctx.touched(*(line["宛名番号"] for line in lines))
    ctx.audit.record_count = len(lines)
    ctx.commit()
    return _file(queries.to_csv(lines), "text/csv; charset=utf-8", f"投票所入場券_{election_id}.csv")


# -- 閲覧 --------------------------------------------------------------------------------------------


@router.post("/etsuran", summary="抄本の閲覧の申出")
def create_etsuran(
    body: etsuran.EtsuranInput, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    """目的は3つ（登録の確認・政治活動・政治又は選挙に関する調査研究）に限られます。"""
    row = etsuran.apply(ctx.uow, body, today=_today(ctx))
    view = etsuran.view(ctx.uow.session, row.id)
    ctx.commit()
    return view


@router.get("/etsuran/{etsuran_id}", summary="閲覧の申出の照会")
def get_etsuran(
    etsuran_id: RowId, ctx: RequestContext = require("senkyo.read", categories=ROLL)
) -> dict[str, Any]:
    view = etsuran.view(ctx.uow.session, etsuran_id)
    ctx.commit()
    return view


class DecisionRequest(BaseModel):
    approve: bool = Field(description="閲覧させるか")
    reasons: list[str] = Field(default_factory=list, description="閲覧させない理由（書面で通知する）")


@router.post("/etsuran/{etsuran_id}/decision", summary="閲覧の承認・拒否")
def decide_etsuran(
    etsuran_id: RowId, body: DecisionRequest, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    etsuran.decide(ctx.uow, etsuran_id, approve=body.approve, reasons=body.reasons, today=_today(ctx))
    view = etsuran.view(ctx.uow.session, etsuran_id)
    ctx.commit()
    return view


@router.get("/etsuran/{etsuran_id}/refusal", summary="閲覧拒否の通知書（PDF）")
def refusal_pdf(etsuran_id: RowId, ctx: RequestContext = require("senkyo.read", categories=ROLL)) -> Response:
    notice = etsuran.refusal_notice(ctx.uow.session, etsuran_id, issuer=_issuer(ctx))
    pdf = etsuran_form.render(notice)
    ctx.commit()
    return _file(pdf, "application/pdf", f"閲覧拒否通知書_{etsuran_id}.pdf")


class ViewingRequest(BaseModel):
    viewed_on: dt.date | None = Field(default=None, description="閲覧日（省略時は今日）")
    viewers: list[str] | None = Field(default=None, description="閲覧した人（省略時は申出書の全員）")
    tohyoku_codes: list[str] | None = Field(default=None, description="閲覧した投票区")


@router.post("/etsuran/{etsuran_id}/viewings", summary="閲覧の記録")
def record_viewing(
    etsuran_id: RowId, body: ViewingRequest, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    etsuran.record_viewing(
        ctx.uow,
        etsuran_id,
        viewed_on=body.viewed_on or _today(ctx),
        viewers=body.viewers,
        tohyoku_codes=body.tohyoku_codes,
    )
    view = etsuran.view(ctx.uow.session, etsuran_id)
    ctx.commit()
    return view


@router.get("/etsuran-kohyo", summary="閲覧の状況（公表用）")
def etsuran_kohyo(
    start: str = Query(description="期間の始め"),
    end: str = Query(description="期間の終わり"),
    ctx: RequestContext = require("senkyo.read", categories=ROLL),
) -> dict[str, Any]:
    """申出者の氏名・利用目的の概要・閲覧年月日・閲覧に係る選挙人の範囲（公職選挙法第28条の4）。"""
    first = parse_date(start, field="期間の始め")
    last = parse_date(end, field="期間の終わり")
    items = etsuran.kohyo(ctx.uow.session, start=first, end=last)
    ctx.commit()
    return {"start": first, "end": last, "items": items}


# -- 在外選挙人名簿 -----------------------------------------------------------------------------------


@router.post("/zaigai/applications", summary="在外選挙人名簿の登録申請（在外公館申請・出国時申請）")
def zaigai_apply(
    body: zaigai.ZaigaiInput, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    row = zaigai.apply(ctx.uow, body, today=_today(ctx))
    if body.atena_no:
        ctx.touched(body.atena_no)
    ctx.commit()
    return {"id": row.id, "kind": row.kind, "received_on": row.received_on}


@router.post("/zaigai/applications/{shinsei_id}/register", summary="在外選挙人名簿への登録・登録の移転")
def zaigai_register(
    shinsei_id: RowId, ctx: RequestContext = require("senkyo.write", categories=ROLL)
) -> dict[str, Any]:
    """衆議院・参議院の選挙の公示日から選挙期日までは登録しません（公職選挙法第30条の6第3項）。"""
    row = zaigai.register(ctx.uow, shinsei_id, today=_today(ctx), municipality=_municipality(ctx))
    if row.atena_no:
        ctx.touched(row.atena_no)
    view = zaigai.entry_view(row)
    ctx.commit()
    return view


@router.get("/zaigai/{zaigai_no}/shosho", summary="在外選挙人証の記載事項")
def zaigai_shosho(
    zaigai_no: str, ctx: RequestContext = require("senkyo.read", categories=ROLL)
) -> dict[str, Any]:
    data = zaigai.shosho(ctx.uow.session, zaigai_no, municipality=_municipality(ctx))
    ctx.commit()
    return data
