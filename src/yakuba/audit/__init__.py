"""The audit log (監査ログ / アクセスログ): append-only, hash-chained, searchable, reviewed.

Every authenticated request that reads or changes personal data, every login and failed login and
every administrative action appends one ``AuditEntry`` (who, role, terminal, time, operation, the
subjects by 宛名番号, purpose, result, whether a 個人番号 was revealed). Each entry carries the hash of
the previous one, so any change, insertion or deletion is found by ``yakuba audit verify``.

Built for 住民記録システム標準仕様書 第1.0版 j1370 (アクセスログ: 改ざん防止、検索、夜間・休日アクセス・
ログイン失敗・大量検索の定型分析) and the logging controls of the 地方公共団体における情報セキュリティ
ポリシーに関するガイドライン. Entries are never deleted by the application; see ``service``.
"""
