"""証明書 (帳票): 住民票の写し and the other certificates.

Layouts, legal omissions, 発行番号, the 交付履歴 and signed, verifiable PDFs (issue 5).
"""
