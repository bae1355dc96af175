"""Security building blocks with no database: field encryption, password hashing, TOTP.

Anchored on the 総務省「地方公共団体における情報セキュリティポリシーに関するガイドライン」
(see ``/work/shared/specs/cross-cutting.md`` §1.4): encryption of high-confidentiality data with
keys managed apart from the data, and multi-factor login to マイナンバー利用事務系 functions.
"""
