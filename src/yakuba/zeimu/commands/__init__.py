"""Commands of the tax kernel: appending to the 課税台帳. They take a UnitOfWork and never commit."""
