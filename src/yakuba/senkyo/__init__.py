"""選挙人名簿管理: the roll (公職選挙法 第4章), the 在外選挙人名簿 (第4章の2), 投票区, 抄本 and 閲覧.

Reacts to 住民記録 events (``handlers``), keeps its own copy of what it needs (``projection``) and
reports registration back through events (``events``). Facades: ``service`` (commands and queries),
``api`` (HTTP).
"""
