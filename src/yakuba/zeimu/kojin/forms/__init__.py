"""帳票 of 個人住民税, built on the forms toolkit :mod:`yakuba.forms`."""
