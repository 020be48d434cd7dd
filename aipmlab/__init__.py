"""AIPM Lab helper package: data loading, one plotting style, widgets and grading tools.

Importing the package only defines things; it never sets seeds, options or styles.
"""

from aipmlab.env import check_environment
from aipmlab.paths import ASSETS_DIR, DATA_DIR, IMG_DIR, REPO_ROOT, asset_path

__all__ = ["ASSETS_DIR", "DATA_DIR", "IMG_DIR", "REPO_ROOT", "asset_path", "check_environment"]
__version__ = "0.1.0"
