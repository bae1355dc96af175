"""Imports every table module so that ``Base.metadata`` is complete (for Alembic and tests)."""

from yakuba import events  # noqa: F401
from yakuba.audit import models as audit_models  # noqa: F401
from yakuba.db import Base
from yakuba.forms import Issuance  # noqa: F401  (the 交付履歴 of every form)
from yakuba.fuhyo import models as fuhyo_models  # noqa: F401
from yakuba.inkan import models as inkan_models  # noqa: F401
from yakuba.juki import models as juki_models  # noqa: F401
from yakuba.juki import yokushi_models  # noqa: F401
from yakuba.security import models as security_models  # noqa: F401
from yakuba.senkyo import models as senkyo_models  # noqa: F401
from yakuba.zeimu import models as zeimu_models  # noqa: F401
from yakuba.zeimu.kojin import models as zeimu_kojin_models  # noqa: F401

metadata = Base.metadata
