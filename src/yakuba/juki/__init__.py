"""住民記録 (resident registry): the heart every other business reads from and reacts to."""
