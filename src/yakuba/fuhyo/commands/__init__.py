"""戸籍の附票 commands, one module per use case; none commits.

``batching`` holds the transaction's in-memory 附票 (read once, written once at commit); every command —
called by the API for one notice or by the handlers for thousands of 住民記録 events — decides on it
through the same functions (docs/decisions/handler-batching.md).
"""
