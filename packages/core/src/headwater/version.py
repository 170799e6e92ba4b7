"""The version of Headwater; every package of this repository has the same one (the dist
session and a test keep them in step)."""

__version__ = "0.1.0"
