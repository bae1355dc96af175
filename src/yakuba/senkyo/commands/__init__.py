"""選挙人名簿管理 use cases: each module takes a ``UnitOfWork`` and never commits.

登録 runs (:mod:`.toroku`, :mod:`.hosei`, :mod:`.election`, :mod:`.candidates`), the daily 抹消・表示 batch
(:mod:`.batch`), 失権・通報 (:mod:`.shikaku`), 投票区 (:mod:`.tohyoku`), 閲覧 (:mod:`.etsuran`) and
在外選挙人名簿 (:mod:`.zaigai`). The read side is :mod:`yakuba.senkyo.queries` and :mod:`yakuba.senkyo.meibo`.
"""
