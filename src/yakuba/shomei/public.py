"""証明書's public face: what the counter UI uses to preview and issue 住民票の写し等 (issue 23).

Others import only from here (``tests/house/test_import_contract.py``). The drawing itself is the
shared forms toolkit (:mod:`yakuba.forms`), which every business's forms build on.
"""

from __future__ import annotations

from yakuba.shomei.api import issue_certificate, preview_certificate
from yakuba.shomei.options import CertificateRequest, resolve

__all__ = ["CertificateRequest", "issue_certificate", "preview_certificate", "resolve"]
