"""The synthesis engine: why innovations lasted or died out, and what their evidence adds up to."""
